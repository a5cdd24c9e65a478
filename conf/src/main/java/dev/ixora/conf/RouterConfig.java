package dev.ixora.conf;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/** The {@code router:} section: who this speaker is and where it listens. */
public record RouterConfig(long asn, Inet4Address routerId, List<InetSocketAddress> listen, int holdTime) {
    public static final int DEFAULT_HOLD_TIME = 90;

    public RouterConfig {
        if (asn < 1 || asn > 0xFFFF_FFFFL) throw new IllegalArgumentException("asn out of range: " + asn);
        if (routerId == null) throw new IllegalArgumentException("router id is required");
        listen = List.copyOf(listen);
        if (holdTime != 0 && (holdTime < 3 || holdTime > 65535)) {
            throw new IllegalArgumentException("hold time must be 0 or 3..65535: " + holdTime);
        }
    }
}
