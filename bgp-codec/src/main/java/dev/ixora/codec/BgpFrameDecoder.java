package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the TCP byte stream into whole BGP messages (RFC 4271 section 4.1). Emits each message, header
 * included, as a retained slice the next handler must release. A bad header (RFC 4271 section 6.1)
 * is not thrown: a {@link DecodeResult.Failed} goes downstream instead and every later byte is
 * discarded, because after a framing error nothing that follows can be trusted.
 *
 * <p>The maximum length starts at 4096 and becomes 65535 once both sides announced extended messages
 * (RFC 8654 section 4). Messages are passed on one at a time, so a handler that calls
 * {@link #setMaxLength} while handling the OPEN exchange changes the limit for the very next message.
 *
 * <p>With {@link #decodeUpdates} a whole UPDATE is decoded here, straight from the received bytes
 * with the context last given to {@link #setContext}, and its {@link DecodeResult} goes downstream
 * instead of a slice (the same result the next handler would get from {@link BgpMessageCodec}):
 * no slice, reference count or second header check per UPDATE. Other messages are framed as above.
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {
    private volatile int maxLength = SessionCodecContext.MAX_MESSAGE;
    private boolean failed;
    private SessionCodecContext context = SessionCodecContext.INITIAL;
    private AttributeCache cache;

    public BgpFrameDecoder() {}

    public BgpFrameDecoder(SessionCodecContext ctx) {
        setContext(ctx);
    }

    public void setMaxLength(int maxLength) {
        if (maxLength < MessageHeader.LENGTH || maxLength > SessionCodecContext.MAX_EXTENDED_MESSAGE) {
            throw new IllegalArgumentException("max length out of range: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    public void setContext(SessionCodecContext ctx) {
        setMaxLength(ctx.maxMessageLength());
        context = ctx;
    }

    /** From now on, decode UPDATEs here (see the class comment), reusing attribute sets through {@code cache}. */
    public void decodeUpdates(AttributeCache cache) {
        this.cache = cache;
    }

    public int maxLength() {
        return maxLength;
    }

    /** True once a header error was emitted; from then on input is discarded. */
    public boolean failed() {
        return failed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < MessageHeader.LENGTH) return;
        int start = in.readerIndex();
        AttributeCache c = cache;
        if (c != null && in.getUnsignedByte(start + MessageHeader.LENGTH - 1) == BgpMessage.UPDATE) {
            int length = in.getUnsignedShort(start + MessageHeader.MARKER_LENGTH);
            if (length >= MessageHeader.LENGTH && length <= maxLength && length <= in.readableBytes()) {
                // The whole UPDATE is here: one copy; the header check (the same rules) and the decoder
                // read the array. A message not complete yet takes the path below, as before.
                byte[] a = c.scratch(length);
                in.getBytes(start, a, 0, length);
                BgpError error = MessageHeader.check(a, 0, maxLength);
                if (error != null) {
                    failed = true;
                    in.skipBytes(in.readableBytes());
                    out.add(new DecodeResult.Failed(error));
                    return;
                }
                in.skipBytes(length);
                out.add(BgpMessageCodec.decodeUpdate(a, length, context, c));
                return;
            }
        }
        BgpError error = MessageHeader.check(in, start, maxLength);
        if (error != null) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(new DecodeResult.Failed(error));
            return;
        }
        int length = in.getUnsignedShort(start + MessageHeader.MARKER_LENGTH);
        if (in.readableBytes() < length) return;
        out.add(in.readRetainedSlice(length));
    }
}
