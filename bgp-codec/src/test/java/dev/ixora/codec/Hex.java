package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Test helper: hex text (spaces allowed) to bytes and back. */
final class Hex {
    static final String MARKER = "ffffffffffffffffffffffffffffffff";

    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes hex bytes with the codec, releasing the input buffer. */
    static DecodeResult decode(String hex, SessionCodecContext ctx) {
        ByteBuf buf = buf(hex);
        try {
            return BgpMessageCodec.decode(buf, ctx);
        } finally {
            buf.release();
        }
    }

    static DecodeResult decode(String hex) {
        return decode(hex, SessionCodecContext.INITIAL);
    }

    static String encode(BgpMessage msg, SessionCodecContext ctx) {
        ByteBuf out = BgpMessageCodec.encode(msg, ctx, io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            return hex(out);
        } finally {
            out.release();
        }
    }

    static String encode(BgpMessage msg) {
        return encode(msg, SessionCodecContext.INITIAL);
    }

    static BgpMessage decoded(DecodeResult r) {
        if (r instanceof DecodeResult.Decoded d) return d.message();
        throw new AssertionError("expected a message, got " + r);
    }

    static BgpError failed(DecodeResult r) {
        if (r instanceof DecodeResult.Failed f) return f.error();
        throw new AssertionError("expected an error, got " + r);
    }
}
