package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * MP_REACH_NLRI and MP_UNREACH_NLRI values (RFC 4760 sections 3 and 4). Only IP prefix families
 * (AFI 1/2, SAFI 1 unicast / 2 multicast) are parsed; other families are kept byte for byte as an
 * {@link PathAttribute.UnknownAttribute} with their type code.
 */
final class MpCodec {
    private MpCodec() {}

    static boolean parsed(int afi, int safi) {
        return (afi == AfiSafi.AFI_IPV4 || afi == AfiSafi.AFI_IPV6) && (safi == 1 || safi == 2);
    }

    static AttributeCodec.Result decodeReach(int flags, ByteBuf attribute, ByteBuf value, SessionCodecContext ctx) {
        int len = value.readableBytes();
        int type = PathAttribute.MP_REACH_NLRI;
        if (len < 3) return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "MP_REACH_NLRI too short");
        int afi = value.getUnsignedShort(value.readerIndex());
        int safi = value.getUnsignedByte(value.readerIndex() + 2);
        if (!parsed(afi, safi)) {
            return AttributeCodec.Result.ok(new PathAttribute.UnknownAttribute(flags, type, ByteBufUtil.getBytes(value)));
        }
        AfiSafi family = AfiSafi.of(afi, safi);
        value.skipBytes(3);
        // RFC 7606 section 7.11: a next hop length the family does not allow makes the attribute malformed
        int nhLen = value.isReadable() ? value.readUnsignedByte() : -1;
        if (nhLen != 4 && nhLen != 16 && nhLen != 32) {
            return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len,
                    "MP_REACH_NLRI next hop length " + nhLen + " for " + family);
        }
        if (value.readableBytes() < nhLen + 1) {
            return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "MP_REACH_NLRI truncated");
        }
        byte[] nh = new byte[nhLen];
        value.readBytes(nh);
        value.skipBytes(1); // RFC 4760 section 3: Reserved (was Number of SNPAs), ignored on receipt
        NlriCodec.Parsed p = NlriCodec.read(value, afi == AfiSafi.AFI_IPV6, ctx.addPathReceive().contains(family));
        if (p.nlri() == null) {
            // RFC 7606 section 5.3: unparseable NLRI in MP_REACH_NLRI -> AFI/SAFI disable
            return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "MP_REACH_NLRI " + p.error());
        }
        return AttributeCodec.Result.ok(new PathAttribute.MpReach(family, nh, p.nlri()));
    }

    static AttributeCodec.Result decodeUnreach(int flags, ByteBuf attribute, ByteBuf value, SessionCodecContext ctx) {
        int len = value.readableBytes();
        int type = PathAttribute.MP_UNREACH_NLRI;
        if (len < 3) return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "MP_UNREACH_NLRI too short");
        int afi = value.getUnsignedShort(value.readerIndex());
        int safi = value.getUnsignedByte(value.readerIndex() + 2);
        if (!parsed(afi, safi)) {
            return AttributeCodec.Result.ok(new PathAttribute.UnknownAttribute(flags, type, ByteBufUtil.getBytes(value)));
        }
        AfiSafi family = AfiSafi.of(afi, safi);
        value.skipBytes(3);
        NlriCodec.Parsed p = NlriCodec.read(value, afi == AfiSafi.AFI_IPV6, ctx.addPathReceive().contains(family));
        if (p.nlri() == null) {
            return AttributeCodec.fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "MP_UNREACH_NLRI " + p.error());
        }
        return AttributeCodec.Result.ok(new PathAttribute.MpUnreach(family, p.nlri()));
    }

    static int reachLength(PathAttribute.MpReach r, SessionCodecContext ctx) {
        return 5 + r.nextHopLength() + NlriCodec.size(r.nlri(), ctx.addPathSend().contains(r.afiSafi()));
    }

    static int unreachLength(PathAttribute.MpUnreach u, SessionCodecContext ctx) {
        return 3 + NlriCodec.size(u.withdrawn(), ctx.addPathSend().contains(u.afiSafi()));
    }

    static void writeReach(PathAttribute.MpReach r, SessionCodecContext ctx, ByteBuf out) {
        out.writeShort(r.afiSafi().afi());
        out.writeByte(r.afiSafi().safi());
        out.writeByte(r.nextHopLength());
        out.writeBytes(r.nextHop());
        out.writeByte(0);
        NlriCodec.write(r.nlri(), ctx.addPathSend().contains(r.afiSafi()), out);
    }

    static void writeUnreach(PathAttribute.MpUnreach u, SessionCodecContext ctx, ByteBuf out) {
        out.writeShort(u.afiSafi().afi());
        out.writeByte(u.afiSafi().safi());
        NlriCodec.write(u.withdrawn(), ctx.addPathSend().contains(u.afiSafi()), out);
    }
}
