package dev.ixora.conf;

import dev.ixora.codec.AfiSafi;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One {@code peers:} entry, with every default already applied.
 *
 * @param passive           only accept the session, never connect out
 * @param holdTime          seconds, 0 or 3..65535 (defaults to the router's)
 * @param connectRetry      seconds between outgoing connection attempts
 * @param shutdown          configured but administratively down
 * @param routeServerClient the peer is a route-server client (RFC 7947); defaults to top-level route-server
 */
public record PeerConfig(
        String name,
        InetAddress address,
        int port,
        long asn,
        boolean passive,
        List<AfiSafi> families,
        Optional<InetAddress> localAddress,
        int holdTime,
        int connectRetry,
        String description,
        boolean nextHopSelf,
        AddPathConfig addPath,
        boolean shutdown,
        boolean routeServerClient,
        PolicyAction importAction,
        PolicyAction exportAction) {
    public static final int DEFAULT_PORT = 179;
    public static final int DEFAULT_CONNECT_RETRY = 120; // RFC 4271 §10 suggests 120 s
    public static final List<AfiSafi> DEFAULT_FAMILIES = List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);

    public PeerConfig {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("peer name is required");
        if (address == null) throw new IllegalArgumentException("peer address is required");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (asn < 1 || asn > 0xFFFF_FFFFL) throw new IllegalArgumentException("asn out of range: " + asn);
        families = List.copyOf(families);
        if (families.isEmpty()) throw new IllegalArgumentException("a peer needs at least one family");
        if (localAddress.isPresent() && localAddress.get().getClass() != address.getClass()) {
            throw new IllegalArgumentException("local address family differs from the peer address");
        }
        if (holdTime != 0 && (holdTime < 3 || holdTime > 65535)) {
            throw new IllegalArgumentException("hold time must be 0 or 3..65535: " + holdTime);
        }
        if (connectRetry < 1) throw new IllegalArgumentException("connect retry must be positive: " + connectRetry);
        description = description == null ? "" : description;
        if (addPath == null || importAction == null || exportAction == null) {
            throw new IllegalArgumentException("add-path, import and export are required");
        }
    }
}
