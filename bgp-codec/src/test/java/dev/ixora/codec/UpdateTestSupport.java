package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Shared helpers for UPDATE tests: hex in, decode, encode, and refCnt checks. */
final class UpdateTestSupport {
    private UpdateTestSupport() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s_|]", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Decodes {@code body} from a fresh buffer, asserting the codec neither released nor leaked it. */
    static DecodeResult decode(byte[] body, SessionCodecContext ctx) {
        ByteBuf buf = Unpooled.directBuffer(body.length).writeBytes(body);
        try {
            DecodeResult r = UpdateCodec.decodeBody(buf, ctx);
            assertEquals(1, buf.refCnt(), "decodeBody must not release the caller's buffer");
            assertEquals(0, buf.readerIndex(), "decodeBody must not move the caller's reader index");
            return r;
        } finally {
            buf.release();
            assertEquals(0, buf.refCnt());
        }
    }

    static UpdateMessage decodeOk(byte[] body, SessionCodecContext ctx) {
        DecodeResult r = decode(body, ctx);
        DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, r, () -> "expected Decoded, got " + r);
        return assertInstanceOf(UpdateMessage.class, d.message());
    }

    static byte[] encode(UpdateMessage msg, SessionCodecContext ctx) {
        ByteBuf out = Unpooled.directBuffer();
        try {
            UpdateCodec.encodeBody(msg, ctx, out);
            assertEquals(UpdateCodec.bodyLength(msg, ctx), out.readableBytes(), "bodyLength agrees with encodeBody");
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
            assertEquals(0, out.refCnt());
        }
    }
}
