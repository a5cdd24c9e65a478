package dev.ixora.fsm;

/**
 * Connection collision detection (RFC 4271 section 6.8): when two connections to one peer both
 * reach the point where the peer's BGP Identifier is known, the one initiated by the speaker with
 * the higher identifier survives; the other is closed with Cease, Connection Collision Resolution.
 */
public final class CollisionResolver {
    /** Which of the two connections to keep. */
    public enum Survivor {
        /** The connection we initiated (outgoing). */
        LOCAL_INITIATED,
        /** The connection the peer initiated (incoming). */
        REMOTE_INITIATED
    }

    private CollisionResolver() {}

    public static Survivor resolve(long localId, long remoteId, long localAsn, long remoteAsn) {
        if (localId != remoteId) {
            // RFC 4271 section 6.8: compare the identifiers as unsigned 32-bit integers.
            return localId > remoteId ? Survivor.LOCAL_INITIATED : Survivor.REMOTE_INITIATED;
        }
        // RFC 6286 section 2.3: equal identifiers (only legal between ASes): the larger AS wins.
        return localAsn > remoteAsn ? Survivor.LOCAL_INITIATED : Survivor.REMOTE_INITIATED;
    }

    /** True when the connection that is {@code outgoing} (or not) should be dumped. */
    public static boolean loses(boolean outgoing, long localId, long remoteId, long localAsn, long remoteAsn) {
        Survivor s = resolve(localId, remoteId, localAsn, remoteAsn);
        return outgoing ? s != Survivor.LOCAL_INITIATED : s != Survivor.REMOTE_INITIATED;
    }
}
