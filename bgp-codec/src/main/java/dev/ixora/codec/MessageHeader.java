package dev.ixora.codec;

import io.netty.buffer.ByteBuf;

/**
 * The 19-byte message header (RFC 4271 section 4.1): 16-byte all-ones marker, 2-byte length
 * (header included), 1-byte type. {@link #check} holds the RFC 4271 section 6.1 header checks in one
 * place, for the frame decoder and for {@link BgpMessageCodec#decode}.
 */
public final class MessageHeader {
    public static final int MARKER_LENGTH = 16;
    public static final int LENGTH = 19;

    // RFC 4271 section 6.1 Message Header Error subcodes
    public static final int CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int BAD_MESSAGE_LENGTH = 2;
    public static final int BAD_MESSAGE_TYPE = 3;

    // RFC 4271 sections 4.2, 4.3, 4.5: smallest legal message of each type
    static final int MIN_OPEN = 29;
    static final int MIN_UPDATE = 23;
    static final int MIN_NOTIFICATION = 21;

    private MessageHeader() {}

    /** Writes the marker, a zero length placeholder and the type; returns the header's start index. */
    static int writeHeader(ByteBuf out, int type) {
        int start = out.writerIndex();
        for (int i = 0; i < MARKER_LENGTH / 4; i++) out.writeInt(-1);
        out.writeShort(0);
        out.writeByte(type);
        return start;
    }

    /**
     * Checks the header that starts at {@code offset} (at least 19 readable bytes there).
     * Returns null when it is acceptable, otherwise the error to report; never throws.
     */
    public static BgpError check(ByteBuf buf, int offset, int maxLength) {
        return check(buf.getLong(offset), buf.getLong(offset + 8), buf.getUnsignedShort(offset + MARKER_LENGTH),
                buf.getUnsignedByte(offset + MARKER_LENGTH + 2), maxLength);
    }

    /** As {@link #check(ByteBuf, int, int)}, for a header copied to {@code a[offset..offset+19)}. */
    static BgpError check(byte[] a, int offset, int maxLength) {
        // the marker byte by byte (all ones or not is all that matters: no need to assemble longs)
        boolean allOnes = true;
        for (int k = offset, end = offset + MARKER_LENGTH; k < end; k++) allOnes &= a[k] == (byte) 0xFF;
        return check(allOnes ? -1L : 0L, -1L,
                ((a[offset + MARKER_LENGTH] & 0xFF) << 8) | (a[offset + MARKER_LENGTH + 1] & 0xFF),
                a[offset + MARKER_LENGTH + 2] & 0xFF, maxLength);
    }

    /** The RFC 4271 section 6.1 rules, on the header's fields (the marker as two longs). */
    private static BgpError check(long marker0, long marker1, int length, int type, int maxLength) {
        // RFC 4271 section 6.1: the marker must be all ones, else Connection Not Synchronized.
        if (marker0 != -1L || marker1 != -1L) {
            return BgpError.reset(BgpError.MESSAGE_HEADER_ERROR, CONNECTION_NOT_SYNCHRONIZED, null,
                    "marker is not all ones");
        }
        if (length < LENGTH || length > maxLength) {
            return badLength(length, "length " + length + " outside " + LENGTH + ".." + maxLength);
        }
        int min;
        switch (type) {
            case BgpMessage.OPEN -> min = MIN_OPEN;
            case BgpMessage.UPDATE -> min = MIN_UPDATE;
            case BgpMessage.NOTIFICATION -> min = MIN_NOTIFICATION;
            case BgpMessage.KEEPALIVE -> {
                // RFC 4271 section 4.4: a KEEPALIVE is the header alone.
                return length == LENGTH ? null : badLength(length, "KEEPALIVE length " + length + " is not 19");
            }
            // RFC 7313 section 5: a wrong ROUTE-REFRESH length is a ROUTE-REFRESH Message Error,
            // reported by the message decoder, not a header error.
            case BgpMessage.ROUTE_REFRESH -> min = LENGTH;
            default -> {
                // RFC 4271 section 6.1: Bad Message Type carries the type field as data.
                return BgpError.reset(BgpError.MESSAGE_HEADER_ERROR, BAD_MESSAGE_TYPE, new byte[] {(byte) type},
                        "unknown message type " + type);
            }
        }
        return length >= min ? null : badLength(length, "type " + type + " length " + length + " below minimum " + min);
    }

    /** RFC 4271 section 6.1: Bad Message Length carries the erroneous Length field as data. */
    static BgpError badLength(int length, String reason) {
        return BgpError.reset(BgpError.MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH,
                new byte[] {(byte) (length >> 8), (byte) length}, reason);
    }
}
