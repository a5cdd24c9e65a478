package dev.ixora.conf;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A validated configuration: an immutable, thread-safe snapshot. Only {@link ConfigLoader} builds
 * one from a file; every default is already applied.
 *
 * @param routeServer    top-level {@code route-server:} (RFC 7947 transparent route server)
 * @param defaultImport  {@code defaults: import:}, applied to peers that do not set their own
 * @param defaultExport  {@code defaults: export:}
 */
public record ConfigImage(
        RouterConfig router,
        boolean routeServer,
        PolicyAction defaultImport,
        PolicyAction defaultExport,
        List<PeerConfig> peers,
        List<AnnounceConfig> announce,
        Optional<ApiConfig> api) {
    public ConfigImage {
        if (router == null) throw new IllegalArgumentException("router is required");
        peers = List.copyOf(peers);
        announce = List.copyOf(announce);
        Set<String> names = new HashSet<>();
        for (PeerConfig p : peers) {
            if (!names.add(p.name())) throw new IllegalArgumentException("duplicate peer name " + p.name());
        }
    }

    public Optional<PeerConfig> peer(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
