package dev.ixora.rib;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What the RIB needs to know about a peer. {@code id} is chosen by the caller, stable for a
 * configured neighbour across session flaps (e.g. its index in the config), in [0, 65535].
 *
 * @param routerId the peer's BGP Identifier, unsigned 32-bit
 * @param ebgp the session is external (peer AS differs from ours)
 * @param routeServerClient the peer receives routes through the {@link RouteServerView} (RFC 7947)
 */
public record PeerInfo(int id, InetAddress address, long asn, long routerId, boolean ebgp,
                       boolean routeServerClient, ImportPolicy importPolicy, ExportPolicy exportPolicy) {
    public static final int MAX_ID = 0xFFFF;

    public PeerInfo {
        if (id < 0 || id > MAX_ID) throw new IllegalArgumentException("peer id out of range: " + id);
        Objects.requireNonNull(address, "address");
        if (asn < 0 || asn > 0xFFFF_FFFFL) throw new IllegalArgumentException("ASN out of range: " + asn);
        if (routerId < 0 || routerId > 0xFFFF_FFFFL) throw new IllegalArgumentException("router id out of range: " + routerId);
        Objects.requireNonNull(importPolicy, "importPolicy");
        Objects.requireNonNull(exportPolicy, "exportPolicy");
    }

    @Override
    public String toString() {
        return "peer=" + address.getHostAddress() + " as=" + asn;
    }
}
