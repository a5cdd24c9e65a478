package dev.ixora.fsm;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The speaker as a whole: its ASN and BGP Identifier (defaults for every peer), the addresses it
 * listens on (port 0 picks a free port, see {@link BgpSpeaker#boundAddresses()}), and the number of
 * I/O threads. Each peer lives on one of those threads for its whole life.
 */
public record SpeakerSettings(long localAsn, long routerId, List<InetSocketAddress> listen, int ioThreads) {
    public SpeakerSettings {
        if (localAsn < 1 || localAsn > 0xFFFF_FFFFL) throw new IllegalArgumentException("localAsn out of range");
        // RFC 6286 section 2.1: a non-zero 32-bit value.
        if (routerId < 1 || routerId > 0xFFFF_FFFFL) throw new IllegalArgumentException("routerId out of range");
        listen = List.copyOf(listen);
        if (ioThreads < 1) throw new IllegalArgumentException("ioThreads must be >= 1");
    }

    public SpeakerSettings(long localAsn, long routerId, List<InetSocketAddress> listen) {
        this(localAsn, routerId, listen, Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors())));
    }
}
