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
 * no slice, reference count or second header check per UPDATE. Consecutive UPDATEs are copied out
 * of the stream together and emitted from one call (Netty passes them on one by one, in order);
 * every other message is framed as above, alone, so a handler that changes the context on an OPEN
 * exchange does so before the next message is decoded. With {@link #decodeUpdates(AttributeCache,
 * boolean) runs}, the UPDATEs of one call go down together as a {@link DecodedRun}.
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {
    private volatile int maxLength = SessionCodecContext.MAX_MESSAGE;
    private boolean failed;
    private SessionCodecContext context = SessionCodecContext.INITIAL;
    private AttributeCache cache;
    /** With {@link #decodeUpdates(AttributeCache, boolean)}: results of one copy go down as a {@link DecodedRun}. */
    private boolean runs;
    /** The results of the copy being decoded, when they go as a run (reused; cleared after each copy). */
    private DecodeResult[] pending = new DecodeResult[16];
    private int pendingCount;

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
        decodeUpdates(cache, false);
    }

    /**
     * As {@link #decodeUpdates(AttributeCache)}; with {@code runs}, the results of consecutive
     * UPDATEs decoded from one copy go downstream as one {@link DecodedRun} (a lone one as itself),
     * so that the next handler gets them in one call instead of one pipeline pass each.
     */
    public void decodeUpdates(AttributeCache cache, boolean runs) {
        this.cache = cache;
        this.runs = runs;
    }

    public int maxLength() {
        return maxLength;
    }

    /** True once a header error was emitted; from then on input is discarded. */
    public boolean failed() {
        return failed;
    }

    /**
     * Decodes the UPDATEs at the front of {@code a[0..n)}, the first of which is whole, until a
     * message that is not an UPDATE or not whole in the copy (left for the next call, so that a
     * handler reacting to an OPEN or KEEPALIVE still sees it alone), or a header error (emitted
     * after the UPDATEs before it; {@link #failed} is then set). Returns the bytes used. Only
     * consecutive UPDATEs go together: none of them changes the context or the maximum length.
     */
    private int decodeUpdates(byte[] a, int n, AttributeCache c, List<Object> out) {
        int max = maxLength;
        SessionCodecContext ctx = context;
        int contextMax = ctx.maxMessageLength();
        int pos = 0;
        while (n - pos >= MessageHeader.LENGTH && (a[pos + MessageHeader.LENGTH - 1] & 0xFF) == BgpMessage.UPDATE) {
            int length = ((a[pos + MessageHeader.MARKER_LENGTH] & 0xFF) << 8) | (a[pos + MessageHeader.MARKER_LENGTH + 1] & 0xFF);
            if (length >= MessageHeader.LENGTH && length <= max && length > n - pos) break; // not whole here
            BgpError error = MessageHeader.check(a, pos, max);
            if (error != null) {
                failed = true;
                add(new DecodeResult.Failed(error), out);
                return pos;
            }
            // Within the frame limit but over the session's: what BgpMessageCodec.decode says of it.
            error = length > contextMax ? MessageHeader.check(a, pos, contextMax) : null;
            add(error != null ? new DecodeResult.Failed(error) : BgpMessageCodec.decodeCheckedUpdate(a, pos, length, ctx, c), out);
            pos += length;
        }
        return pos;
    }

    /** Into {@code out}, or held for the run. */
    private void add(DecodeResult r, List<Object> out) {
        if (!runs) {
            out.add(r);
            return;
        }
        if (pendingCount == pending.length) pending = java.util.Arrays.copyOf(pending, 2 * pendingCount);
        pending[pendingCount++] = r;
    }

    /** Ends a run: its results go to {@code out} as one message (one result as itself). */
    private void endRun(List<Object> out) {
        int n = pendingCount;
        if (n > 0) out.add(n == 1 ? pending[0] : new DecodedRun(java.util.Arrays.copyOf(pending, n)));
    }

    private void clearRun() {
        if (pendingCount == 0) return;
        java.util.Arrays.fill(pending, 0, pendingCount, null);
        pendingCount = 0;
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
            int readable = in.readableBytes();
            if (length >= MessageHeader.LENGTH && length <= maxLength && length <= readable) {
                // The first UPDATE is here whole: one copy of it and of what follows, up to the
                // scratch size; every whole UPDATE in the copy is checked and decoded from the array.
                int n = Math.min(readable, Math.max(length, AttributeCache.MAX_SCRATCH));
                byte[] a = c.scratch(n);
                in.getBytes(start, a, 0, n);
                int used;
                try {
                    used = decodeUpdates(a, n, c, out);
                    endRun(out);
                } finally {
                    clearRun(); // after an exception too: nothing of this copy is passed on later
                }
                in.skipBytes(failed ? in.readableBytes() : used);
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
