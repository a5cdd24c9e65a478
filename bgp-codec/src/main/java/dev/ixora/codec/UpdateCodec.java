package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * TEMPORARY STUB so that BgpMessageCodec compiles before the UPDATE side exists. The engineer who
 * owns UPDATE replaces this file wholesale, keeping these two signatures.
 */
public final class UpdateCodec {
    private UpdateCodec() {}

    public static DecodeResult decodeBody(ByteBuf body, SessionCodecContext ctx) {
        return new DecodeResult.Decoded(new UpdateMessage(ByteBufUtil.getBytes(body)));
    }

    public static void encodeBody(UpdateMessage msg, SessionCodecContext ctx, ByteBuf out) {
        out.writeBytes(msg.rawBody());
    }
}
