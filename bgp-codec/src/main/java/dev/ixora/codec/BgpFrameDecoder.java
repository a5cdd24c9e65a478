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
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {
    private volatile int maxLength = SessionCodecContext.MAX_MESSAGE;
    private boolean failed;

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
