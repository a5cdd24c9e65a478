package dev.ixora.conf;

import dev.ixora.codec.AfiSafi;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One {@code announce:} entry: a route this speaker originates. */
public record AnnounceConfig(
        IpPrefix prefix,
        Optional<InetAddress> nextHop,
        OptionalLong med,
        int asPathPrepend,
        List<Community> communities,
        List<LargeCommunity> largeCommunities) {
    public static final int MAX_PREPEND = 32;

    public AnnounceConfig {
        if (prefix == null) throw new IllegalArgumentException("prefix is required");
        if (nextHop.isPresent() && nextHop.get().getClass() != prefix.address().getClass()) {
            throw new IllegalArgumentException("next hop family differs from the prefix");
        }
        if (med.isPresent() && (med.getAsLong() < 0 || med.getAsLong() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("med out of range");
        }
        if (asPathPrepend < 0 || asPathPrepend > MAX_PREPEND) throw new IllegalArgumentException("prepend out of range");
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
    }

    public AfiSafi family() {
        return prefix.isIpv4() ? AfiSafi.IPV4_UNICAST : AfiSafi.IPV6_UNICAST;
    }
}
