package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * OPEN body (RFC 4271 section 4.2): version, My AS, Hold Time, BGP Identifier, optional parameters,
 * in the RFC 4271 one-octet form or the RFC 9072 extended form. Only checks that need no
 * configuration live here; the peer AS and the capability policy are the session's.
 */
final class OpenCodec {
    // RFC 4271 section 6.2 OPEN Message Error subcodes
    static final int UNSPECIFIC = 0;
    static final int UNSUPPORTED_VERSION = 1;
    static final int BAD_BGP_IDENTIFIER = 3;
    static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    static final int UNACCEPTABLE_HOLD_TIME = 6;

    static final int BGP_VERSION = 4;
    /** RFC 5492 section 4: optional parameter type 2 is Capabilities. */
    static final int PARAM_CAPABILITIES = 2;
    /** RFC 9072 section 2: Non-Ext OP Type 255 marks the extended form. */
    static final int PARAM_EXTENDED = 255;

    private OpenCodec() {}

    static OpenMessage decodeBody(ByteBuf body) {
        int version = body.readUnsignedByte();
        int myAs = body.readUnsignedShort();
        int holdTime = body.readUnsignedShort();
        long bgpId = body.readUnsignedInt();
        int optLen = body.readUnsignedByte();

        // RFC 4271 section 6.2: the data is the largest locally supported version, 2 octets.
        if (version != BGP_VERSION) {
            throw MalformedMessage.open(UNSUPPORTED_VERSION, new byte[] {0, BGP_VERSION},
                    "unsupported version " + version);
        }
        // RFC 4271 section 6.2: Hold Time 1 or 2 seconds must be rejected (0 and >= 3 are fine).
        if (holdTime == 1 || holdTime == 2) {
            throw MalformedMessage.open(UNACCEPTABLE_HOLD_TIME, null, "hold time " + holdTime);
        }
        // RFC 6793 section 3 (updating RFC 4271 section 6.2): any non-zero 4-octet value is valid.
        if (bgpId == 0) {
            throw MalformedMessage.open(BAD_BGP_IDENTIFIER, null, "BGP identifier 0");
        }

        // RFC 9072 section 2: Non-Ext OP Len 255 and Non-Ext OP Type 255 mean a 2-octet length follows
        // and every parameter has a 2-octet length.
        boolean extended = optLen == 255 && body.isReadable() && body.getUnsignedByte(body.readerIndex()) == PARAM_EXTENDED;
        int paramsLen = optLen;
        if (extended) {
            if (body.readableBytes() < 3) throw malformed("truncated extended optional parameters length");
            body.skipBytes(1);
            paramsLen = body.readUnsignedShort();
        }
        if (paramsLen != body.readableBytes()) {
            throw malformed("optional parameters length " + paramsLen + " but " + body.readableBytes() + " bytes follow");
        }
        List<Capability> caps = new ArrayList<>();
        int headLen = extended ? 3 : 2;
        while (body.isReadable()) {
            if (body.readableBytes() < headLen) throw malformed("truncated optional parameter header");
            int type = body.readUnsignedByte();
            int len = extended ? body.readUnsignedShort() : body.readUnsignedByte();
            if (body.readableBytes() < len) throw malformed("optional parameter " + type + " length " + len + " overflows");
            ByteBuf value = body.readSlice(len);
            // RFC 4271 section 6.2 / RFC 5492 section 4: Capabilities is the only parameter we know.
            if (type != PARAM_CAPABILITIES) {
                throw MalformedMessage.open(UNSUPPORTED_OPTIONAL_PARAMETER, null, "optional parameter type " + type);
            }
            CapabilityCodec.decodeAll(value, caps);
        }
        return new OpenMessage(version, myAs, holdTime, bgpId, caps);
    }

    static void encodeBody(OpenMessage open, ByteBuf out) {
        out.writeByte(open.version()).writeShort(open.myAs()).writeShort(open.holdTime()).writeInt((int) open.bgpId());
        int lenIndex = out.writerIndex();
        if (open.capabilities().isEmpty()) {
            out.writeByte(0);
            return;
        }
        // Try the RFC 4271 form: Opt Parm Len (1), then one Capabilities parameter (type 1, length 1).
        out.writeByte(0).writeByte(PARAM_CAPABILITIES).writeByte(0);
        int capsStart = out.writerIndex();
        for (Capability cap : open.capabilities()) CapabilityCodec.encode(cap, out);
        int capsLen = out.writerIndex() - capsStart;
        if (capsLen + 2 <= 255) {
            out.setByte(lenIndex, capsLen + 2).setByte(lenIndex + 2, capsLen);
            return;
        }
        // RFC 9072 section 2: only when the parameters exceed 255 bytes, the extended form:
        // Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length (2), parameters with
        // 2-octet lengths. Rare (over 253 bytes of capabilities), so a copy is fine.
        byte[] caps = new byte[capsLen];
        out.getBytes(capsStart, caps);
        out.writerIndex(lenIndex);
        out.writeByte(255).writeByte(PARAM_EXTENDED).writeShort(capsLen + 3)
                .writeByte(PARAM_CAPABILITIES).writeShort(capsLen).writeBytes(caps);
    }

    private static MalformedMessage malformed(String reason) {
        return MalformedMessage.open(UNSPECIFIC, null, reason);
    }
}
