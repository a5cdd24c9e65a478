package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Capability TLVs (RFC 5492 section 4): code (1), length (1), value. Known capabilities whose value
 * has the wrong shape are an OPEN Message Error, subcode 0 Unspecific (RFC 4271 section 6.2: a
 * recognised but malformed optional parameter); unknown codes are kept byte for byte.
 */
final class CapabilityCodec {
    private CapabilityCodec() {}

    /** Decodes every capability TLV in {@code value} (one Capabilities parameter's value). */
    static void decodeAll(ByteBuf value, List<Capability> out) {
        while (value.isReadable()) {
            if (value.readableBytes() < 2) throw malformed("truncated capability header");
            int code = value.readUnsignedByte();
            int len = value.readUnsignedByte();
            if (value.readableBytes() < len) {
                throw malformed("capability " + code + " length " + len + " exceeds parameter");
            }
            out.add(decode(code, value.readSlice(len)));
        }
    }

    static Capability decode(int code, ByteBuf v) {
        int len = v.readableBytes();
        switch (code) {
            case Capability.MULTIPROTOCOL -> {
                // RFC 4760 section 8: AFI (2), reserved (1), SAFI (1).
                expect(code, len == 4, len);
                int afi = v.readUnsignedShort();
                v.skipBytes(1);
                return new Capability.Multiprotocol(AfiSafi.of(afi, v.readUnsignedByte()));
            }
            case Capability.ROUTE_REFRESH -> {
                expect(code, len == 0, len); // RFC 2918 section 2
                return new Capability.RouteRefresh();
            }
            case Capability.ENHANCED_ROUTE_REFRESH -> {
                expect(code, len == 0, len); // RFC 7313 section 3.1
                return new Capability.EnhancedRouteRefresh();
            }
            case Capability.EXTENDED_MESSAGE -> {
                expect(code, len == 0, len); // RFC 8654 section 3
                return new Capability.ExtendedMessage();
            }
            case Capability.ROLE -> {
                expect(code, len == 1, len); // RFC 9234 section 4.1
                return new Capability.Role(v.readUnsignedByte());
            }
            case Capability.FOUR_OCTET_AS -> {
                expect(code, len == 4, len); // RFC 6793 section 3
                return new Capability.FourOctetAs(v.readUnsignedInt());
            }
            case Capability.GRACEFUL_RESTART -> {
                // RFC 4724 section 3: flags (4 bits) + restart time (12 bits), then AFI, SAFI, flags per family.
                expect(code, len >= 2 && (len - 2) % 4 == 0, len);
                int head = v.readUnsignedShort();
                List<Capability.GracefulRestart.Family> families = new ArrayList<>();
                while (v.isReadable()) {
                    AfiSafi family = AfiSafi.of(v.readUnsignedShort(), v.readUnsignedByte());
                    families.add(new Capability.GracefulRestart.Family(family, (v.readUnsignedByte() & 0x80) != 0));
                }
                return new Capability.GracefulRestart(head >>> 12, head & 0x0FFF, families);
            }
            case Capability.ADD_PATH -> {
                // RFC 7911 section 4: AFI (2), SAFI (1), Send/Receive (1) per family.
                expect(code, len % 4 == 0, len);
                List<Capability.AddPath.Family> families = new ArrayList<>();
                while (v.isReadable()) {
                    AfiSafi family = AfiSafi.of(v.readUnsignedShort(), v.readUnsignedByte());
                    int sendReceive = v.readUnsignedByte();
                    // RFC 7911 section 4: any other Send/Receive value means the capability is not
                    // understood and is ignored: keep it, uninterpreted, as Unknown.
                    if (sendReceive < 1 || sendReceive > 3) return unknown(code, v.readerIndex(0));
                    families.add(new Capability.AddPath.Family(family, sendReceive));
                }
                return new Capability.AddPath(families);
            }
            case Capability.FQDN -> {
                // draft-walton-bgp-hostname-capability section 3: host len, host, domain len, domain.
                expect(code, len >= 2, len);
                int hostLen = v.readUnsignedByte();
                expect(code, v.readableBytes() >= hostLen + 1, len);
                String host = v.readCharSequence(hostLen, StandardCharsets.UTF_8).toString();
                int domainLen = v.readUnsignedByte();
                expect(code, v.readableBytes() == domainLen, len);
                String domain = v.readCharSequence(domainLen, StandardCharsets.UTF_8).toString();
                return new Capability.Fqdn(host, domain);
            }
            default -> {
                return unknown(code, v);
            }
        }
    }

    /** Writes one capability TLV. */
    static void encode(Capability cap, ByteBuf out) {
        out.writeByte(cap.code());
        int lenIndex = out.writerIndex();
        out.writeByte(0);
        if (cap instanceof Capability.Multiprotocol mp) {
            out.writeShort(mp.afiSafi().afi()).writeByte(0).writeByte(mp.afiSafi().safi());
        } else if (cap instanceof Capability.Role role) {
            out.writeByte(role.role());
        } else if (cap instanceof Capability.FourOctetAs as4) {
            out.writeInt((int) as4.asn());
        } else if (cap instanceof Capability.GracefulRestart gr) {
            out.writeShort((gr.restartFlags() << 12) | gr.restartTime());
            for (Capability.GracefulRestart.Family f : gr.families()) {
                out.writeShort(f.afiSafi().afi()).writeByte(f.afiSafi().safi())
                        .writeByte(f.forwardingPreserved() ? 0x80 : 0);
            }
        } else if (cap instanceof Capability.AddPath ap) {
            for (Capability.AddPath.Family f : ap.families()) {
                out.writeShort(f.afiSafi().afi()).writeByte(f.afiSafi().safi()).writeByte(f.sendReceive());
            }
        } else if (cap instanceof Capability.Fqdn fqdn) {
            byte[] host = fqdn.hostName().getBytes(StandardCharsets.UTF_8);
            byte[] domain = fqdn.domainName().getBytes(StandardCharsets.UTF_8);
            out.writeByte(host.length).writeBytes(host).writeByte(domain.length).writeBytes(domain);
        } else if (cap instanceof Capability.Unknown u) {
            out.writeBytes(u.value());
        } else if (!(cap instanceof Capability.RouteRefresh || cap instanceof Capability.EnhancedRouteRefresh
                || cap instanceof Capability.ExtendedMessage)) {
            throw new IllegalArgumentException("no encoding for capability " + cap);
        }
        int len = out.writerIndex() - lenIndex - 1;
        if (len > 255) throw new IllegalArgumentException("capability " + cap.code() + " value is " + len + " bytes");
        out.setByte(lenIndex, len);
    }

    private static Capability unknown(int code, ByteBuf v) {
        byte[] value = new byte[v.readableBytes()];
        v.readBytes(value);
        return new Capability.Unknown(code, value);
    }

    private static void expect(int code, boolean ok, int len) {
        if (!ok) throw malformed("capability " + code + " has malformed value of " + len + " bytes");
    }

    private static MalformedMessage malformed(String reason) {
        return MalformedMessage.open(OpenCodec.UNSPECIFIC, null, reason);
    }
}
