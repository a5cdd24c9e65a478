package dev.ixora.codec;

import java.util.Set;

/**
 * What a session negotiated that changes the wire format: 4-octet AS numbers (RFC 6793), ADD-PATH
 * per family and direction (RFC 7911), extended messages (RFC 8654). Immutable; the session builds
 * a new one when OPENs have been exchanged. {@link #INITIAL} is what applies before that.
 */
public record SessionCodecContext(
        boolean fourOctetAs,
        Set<AfiSafi> addPathReceive,
        Set<AfiSafi> addPathSend,
        boolean extendedMessages) {

    /** Before capabilities are known: 2-octet AS_PATH, no ADD-PATH, 4096-byte messages. */
    public static final SessionCodecContext INITIAL =
            new SessionCodecContext(false, Set.of(), Set.of(), false);

    /** The common modern case: 4-octet AS, no ADD-PATH, standard message size. */
    public static final SessionCodecContext FOUR_OCTET =
            new SessionCodecContext(true, Set.of(), Set.of(), false);

    public SessionCodecContext {
        addPathReceive = Set.copyOf(addPathReceive);
        addPathSend = Set.copyOf(addPathSend);
    }

    public static final int MAX_MESSAGE = 4096;
    public static final int MAX_EXTENDED_MESSAGE = 65535;

    public int maxMessageLength() {
        return extendedMessages ? MAX_EXTENDED_MESSAGE : MAX_MESSAGE;
    }
}
