package dev.ixora.fsm;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Capability;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.SessionCodecContext;
import java.util.Set;

/**
 * What two OPENs agreed on (RFC 4271 section 4.2, RFC 5492). {@code addPathReceive} are the families
 * in which we receive path identifiers, {@code addPathSend} those in which we send them (RFC 7911
 * section 4). {@code peerGracefulRestart}, {@code peerRole} and {@code peerFqdn} are null when the
 * peer did not send them. {@code keepaliveTime} is 0 when {@code holdTime} is 0 (no keepalives).
 */
public record NegotiatedSession(
        long peerAsn,
        long peerRouterId,
        int holdTime,
        int keepaliveTime,
        Set<AfiSafi> families,
        boolean fourOctetAs,
        Set<AfiSafi> addPathReceive,
        Set<AfiSafi> addPathSend,
        boolean extendedMessages,
        boolean routeRefresh,
        boolean enhancedRouteRefresh,
        Capability.GracefulRestart peerGracefulRestart,
        Integer peerRole,
        Capability.Fqdn peerFqdn,
        OpenMessage sentOpen,
        OpenMessage receivedOpen) {

    public NegotiatedSession {
        families = Set.copyOf(families);
        addPathReceive = Set.copyOf(addPathReceive);
        addPathSend = Set.copyOf(addPathSend);
        if (holdTime != 0 && holdTime < 3) throw new IllegalArgumentException("hold time 1 or 2");
        if (sentOpen == null || receivedOpen == null) throw new IllegalArgumentException("both OPENs are required");
    }

    /** The wire format this session uses from now on. */
    public SessionCodecContext codecContext() {
        return new SessionCodecContext(fourOctetAs, addPathReceive, addPathSend, extendedMessages);
    }

    /** The largest message either side may send (RFC 8654 section 4). */
    public int maxMessageLength() {
        return codecContext().maxMessageLength();
    }
}
