package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Whole-message decode and encode (RFC 4271 section 4). Decoding never throws: every problem becomes
 * a {@link DecodeResult.Failed} carrying the NOTIFICATION the session should send. Encoding throws
 * {@link IllegalArgumentException} for a message that cannot be put on the wire, e.g. one longer than
 * the session's maximum message size (the caller splits UPDATEs).
 */
public final class BgpMessageCodec {
    // RFC 7313 section 5
    public static final int ROUTE_REFRESH_INVALID_LENGTH = 1;

    private BgpMessageCodec() {}

    /**
     * Decodes one framed message, header included, from the readable bytes of {@code message}.
     * Neither moves its reader index nor releases it.
     */
    public static DecodeResult decode(ByteBuf message, SessionCodecContext ctx) {
        return decode(message, ctx, null);
    }

    /** As {@link #decode(ByteBuf, SessionCodecContext)}, UPDATEs through the session's {@code cache} (may be null). */
    public static DecodeResult decode(ByteBuf message, SessionCodecContext ctx, AttributeCache cache) {
        int start = message.readerIndex();
        int readable = message.readableBytes();
        if (readable < MessageHeader.LENGTH) {
            return failed(MessageHeader.badLength(readable, "only " + readable + " bytes, no header"));
        }
        if (cache != null) {
            // One copy of the whole message: the header checks and the UPDATE decoder read the array.
            byte[] a = cache.scratch(readable);
            message.getBytes(start, a, 0, readable);
            if ((a[MessageHeader.LENGTH - 1] & 0xFF) == BgpMessage.UPDATE) return decodeUpdate(a, readable, ctx, cache);
        }
        BgpError headerError = MessageHeader.check(message, start, ctx.maxMessageLength());
        if (headerError != null) return failed(headerError);
        int length = message.getUnsignedShort(start + MessageHeader.MARKER_LENGTH);
        if (length != readable) {
            // The frame and its Length field disagree: the framing layer lost sync.
            return failed(MessageHeader.badLength(length, "length field " + length + " but frame of " + readable + " bytes"));
        }
        int type = message.getUnsignedByte(start + MessageHeader.LENGTH - 1);
        ByteBuf body = message.slice(start + MessageHeader.LENGTH, length - MessageHeader.LENGTH);
        try {
            return switch (type) {
                case BgpMessage.OPEN -> new DecodeResult.Decoded(OpenCodec.decodeBody(body));
                case BgpMessage.UPDATE -> UpdateCodec.decodeBody(body, ctx, cache);
                case BgpMessage.NOTIFICATION -> new DecodeResult.Decoded(decodeNotification(body));
                case BgpMessage.KEEPALIVE -> new DecodeResult.Decoded(KeepaliveMessage.INSTANCE);
                case BgpMessage.ROUTE_REFRESH -> decodeRouteRefresh(message.slice(start, length), body);
                default -> throw new IllegalStateException("type " + type + " passed the header check");
            };
        } catch (MalformedMessage e) {
            return failed(e.error);
        } catch (RuntimeException e) {
            // A body decoder bug or a bounds miss on hostile input: still an error value, never a throw.
            int code = switch (type) {
                case BgpMessage.OPEN -> BgpError.OPEN_MESSAGE_ERROR;
                case BgpMessage.UPDATE -> BgpError.UPDATE_MESSAGE_ERROR;
                case BgpMessage.ROUTE_REFRESH -> BgpError.ROUTE_REFRESH_MESSAGE_ERROR;
                default -> BgpError.MESSAGE_HEADER_ERROR;
            };
            return failed(BgpError.reset(code, 0, null, "undecodable type " + type + " message: " + e));
        }
    }

    /** {@link #decode} of an UPDATE copied to {@code a[0..readable)}: the same checks, on the array. */
    static DecodeResult decodeUpdate(byte[] a, int readable, SessionCodecContext ctx, AttributeCache cache) {
        BgpError headerError = MessageHeader.check(a, 0, ctx.maxMessageLength());
        if (headerError != null) return failed(headerError);
        int length = ((a[MessageHeader.MARKER_LENGTH] & 0xFF) << 8) | (a[MessageHeader.MARKER_LENGTH + 1] & 0xFF);
        if (length != readable) {
            return failed(MessageHeader.badLength(length, "length field " + length + " but frame of " + readable + " bytes"));
        }
        return decodeCheckedUpdate(a, 0, length, ctx, cache);
    }

    /**
     * The UPDATE at {@code a[offset..offset+length)}, whose header {@link MessageHeader#check} has
     * already accepted with this length (the frame decoder's path: one check per message, not two).
     */
    static DecodeResult decodeCheckedUpdate(byte[] a, int offset, int length, SessionCodecContext ctx, AttributeCache cache) {
        try {
            return UpdateCodec.decodeBody(a, offset + MessageHeader.LENGTH, length - MessageHeader.LENGTH, ctx, cache);
        } catch (RuntimeException e) {
            return failed(BgpError.reset(BgpError.UPDATE_MESSAGE_ERROR, 0, null,
                    "undecodable type " + BgpMessage.UPDATE + " message: " + e));
        }
    }

    /** Appends the encoded message (header included) to {@code out}. */
    public static void encode(BgpMessage msg, SessionCodecContext ctx, ByteBuf out) {
        int start = MessageHeader.writeHeader(out, msg.type());
        try {
            if (msg instanceof OpenMessage open) {
                OpenCodec.encodeBody(open, out);
            } else if (msg instanceof UpdateMessage update) {
                UpdateCodec.encodeBody(update, ctx, out);
            } else if (msg instanceof NotificationMessage n) {
                out.writeByte(n.code()).writeByte(n.subcode()).writeBytes(n.data());
            } else if (msg instanceof RouteRefreshMessage rr) {
                // RFC 2918 section 3 / RFC 7313 section 3: AFI (2), subtype (1), SAFI (1).
                out.writeShort(rr.afiSafi().afi()).writeByte(rr.subtype()).writeByte(rr.afiSafi().safi());
            } else if (!(msg instanceof KeepaliveMessage)) {
                throw new IllegalArgumentException("no encoding for " + msg.getClass().getName());
            }
            int length = out.writerIndex() - start;
            if (length > ctx.maxMessageLength()) {
                throw new IllegalArgumentException("message of type " + msg.type() + " is " + length
                        + " bytes, more than " + ctx.maxMessageLength());
            }
            out.setShort(start + MessageHeader.MARKER_LENGTH, length);
        } catch (RuntimeException e) {
            out.writerIndex(start); // leave nothing half-written behind
            throw e;
        }
    }

    /** Encodes into a new buffer from {@code alloc}; the caller owns (and releases) it. */
    public static ByteBuf encode(BgpMessage msg, SessionCodecContext ctx, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(msg instanceof KeepaliveMessage ? MessageHeader.LENGTH : 64);
        try {
            encode(msg, ctx, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static NotificationMessage decodeNotification(ByteBuf body) {
        // RFC 4271 section 4.5: code (1), subcode (1), data (rest of the message).
        int code = body.readUnsignedByte();
        int subcode = body.readUnsignedByte();
        return new NotificationMessage(code, subcode, ByteBufUtil.getBytes(body));
    }

    private static DecodeResult decodeRouteRefresh(ByteBuf whole, ByteBuf body) {
        // RFC 7313 section 5: a body other than 4 bytes is ROUTE-REFRESH Message Error / Invalid
        // Message Length, with the complete message as data. RFC 7313 speaks of subtypes 1 and 2; we
        // apply it to every subtype because we negotiate no ORF (RFC 5291), the only longer form.
        if (body.readableBytes() != RouteRefreshMessage.BODY_LENGTH) {
            return failed(BgpError.reset(BgpError.ROUTE_REFRESH_MESSAGE_ERROR, ROUTE_REFRESH_INVALID_LENGTH,
                    ByteBufUtil.getBytes(whole), "ROUTE-REFRESH body of " + body.readableBytes() + " bytes"));
        }
        int afi = body.readUnsignedShort();
        int subtype = body.readUnsignedByte();
        int safi = body.readUnsignedByte();
        return new DecodeResult.Decoded(new RouteRefreshMessage(AfiSafi.of(afi, safi), subtype));
    }

    private static DecodeResult failed(BgpError error) {
        return new DecodeResult.Failed(error);
    }
}
