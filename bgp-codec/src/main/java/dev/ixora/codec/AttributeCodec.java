package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes one path attribute value. Malformed input becomes a {@link BgpError} from
 * {@link UpdateErrors}; this class only says what is wrong, UpdateErrors says what it costs.
 */
final class AttributeCodec {
    private AttributeCodec() {}

    /** Exactly one of attribute / error is set. */
    record Result(PathAttribute attribute, BgpError error) {
        static Result ok(PathAttribute a) {
            return new Result(a, null);
        }

        static Result fail(BgpError e) {
            return new Result(null, e);
        }
    }

    /**
     * @param attribute the whole attribute (header and value), for the error data
     * @param value     its value
     */
    static Result decode(int flags, int type, ByteBuf attribute, ByteBuf value, SessionCodecContext ctx) {
        int expected = PathAttribute.standardFlags(type);
        int len = value.readableBytes();
        if (expected < 0) {
            return Result.ok(new PathAttribute.UnknownAttribute(flags, type, ByteBufUtil.getBytes(value)));
        }
        if ((flags & (PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE)) != expected) {
            return Result.fail(UpdateErrors.flags(type, flags, attribute, len));
        }
        int asSize = ctx.fourOctetAs() ? 4 : 2;
        boolean partial = (flags & PathAttribute.PARTIAL) != 0;
        return switch (type) {
            case PathAttribute.ORIGIN -> {
                if (len != 1) yield lengthError(type, attribute, len);
                int v = value.readUnsignedByte();
                yield v <= 2 ? Result.ok(new PathAttribute.Origin(v))
                        : fail(type, UpdateErrors.INVALID_ORIGIN_ATTRIBUTE, attribute, len, "undefined ORIGIN " + v);
            }
            case PathAttribute.AS_PATH -> {
                AsPath p = readAsPath(value, asSize);
                yield p != null ? Result.ok(p)
                        : fail(type, UpdateErrors.MALFORMED_AS_PATH, attribute, len, "malformed AS_PATH");
            }
            case PathAttribute.NEXT_HOP -> len == 4 ? Result.ok(new PathAttribute.NextHop(value.readInt()))
                    : lengthError(type, attribute, len);
            case PathAttribute.MULTI_EXIT_DISC -> len == 4 ? Result.ok(new PathAttribute.Med(value.readUnsignedInt()))
                    : lengthError(type, attribute, len);
            case PathAttribute.LOCAL_PREF -> len == 4 ? Result.ok(new PathAttribute.LocalPref(value.readUnsignedInt()))
                    : lengthError(type, attribute, len);
            case PathAttribute.ATOMIC_AGGREGATE -> len == 0 ? Result.ok(PathAttribute.AtomicAggregate.INSTANCE)
                    : lengthError(type, attribute, len);
            case PathAttribute.AGGREGATOR -> len == asSize + 4
                    ? Result.ok(new PathAttribute.Aggregator(readAs(value, asSize), value.readInt(), partial))
                    : lengthError(type, attribute, len);
            case PathAttribute.COMMUNITIES -> {
                if (len == 0 || len % 4 != 0) yield lengthError(type, attribute, len);
                int[] v = new int[len / 4];
                for (int i = 0; i < v.length; i++) v[i] = value.readInt();
                yield Result.ok(new PathAttribute.Communities(v, partial));
            }
            case PathAttribute.ORIGINATOR_ID -> len == 4 ? Result.ok(new PathAttribute.OriginatorId(value.readInt()))
                    : lengthError(type, attribute, len);
            case PathAttribute.CLUSTER_LIST -> {
                if (len == 0 || len % 4 != 0) yield lengthError(type, attribute, len);
                int[] v = new int[len / 4];
                for (int i = 0; i < v.length; i++) v[i] = value.readInt();
                yield Result.ok(new PathAttribute.ClusterList(v));
            }
            case PathAttribute.MP_REACH_NLRI -> MpCodec.decodeReach(flags, attribute, value, ctx);
            case PathAttribute.MP_UNREACH_NLRI -> MpCodec.decodeUnreach(flags, attribute, value, ctx);
            case PathAttribute.EXTENDED_COMMUNITIES -> {
                if (len == 0 || len % 8 != 0) yield lengthError(type, attribute, len);
                long[] v = new long[len / 8];
                for (int i = 0; i < v.length; i++) v[i] = value.readLong();
                yield Result.ok(new PathAttribute.ExtendedCommunities(v, partial));
            }
            case PathAttribute.AS4_PATH -> {
                AsPath p = readAsPath(value, 4);
                // RFC 6793 section 6: confederation segments must not appear in AS4_PATH
                if (p == null || p.segments().stream().anyMatch(AsPath.Segment::isConfederation)) {
                    yield fail(type, UpdateErrors.OPTIONAL_ATTRIBUTE_ERROR, attribute, len, "malformed AS4_PATH");
                }
                yield Result.ok(new PathAttribute.As4Path(p, partial));
            }
            case PathAttribute.AS4_AGGREGATOR -> len == 8
                    ? Result.ok(new PathAttribute.As4Aggregator(value.readUnsignedInt(), value.readInt(), partial))
                    : lengthError(type, attribute, len);
            case PathAttribute.LARGE_COMMUNITY -> {
                if (len == 0 || len % 12 != 0) yield lengthError(type, attribute, len);
                int[] v = new int[len / 4];
                for (int i = 0; i < v.length; i++) v[i] = value.readInt();
                yield Result.ok(new PathAttribute.LargeCommunities(v, partial));
            }
            case PathAttribute.OTC -> len == 4 ? Result.ok(new PathAttribute.Otc(value.readUnsignedInt(), partial))
                    : lengthError(type, attribute, len);
            default -> Result.ok(new PathAttribute.UnknownAttribute(flags, type, ByteBufUtil.getBytes(value)));
        };
    }

    static Result lengthError(int type, ByteBuf attribute, int len) {
        return fail(type, UpdateErrors.ATTRIBUTE_LENGTH_ERROR, attribute, len,
                "attribute " + type + " with invalid length " + len);
    }

    static Result fail(int type, int subcode, ByteBuf attribute, int len, String reason) {
        return Result.fail(UpdateErrors.malformed(type, subcode, attribute, len, reason));
    }

    private static long readAs(ByteBuf b, int asSize) {
        return asSize == 4 ? b.readUnsignedInt() : b.readUnsignedShort();
    }

    /** RFC 7606 section 7.2: null on an unknown segment type, a zero-length segment, an overrun or an underrun. */
    static AsPath readAsPath(ByteBuf v, int asSize) {
        List<AsPath.Segment> segments = new ArrayList<>();
        while (v.isReadable()) {
            if (v.readableBytes() < 2) return null;
            int type = v.readUnsignedByte();
            int count = v.readUnsignedByte();
            if (type < AsPath.AS_SET || type > AsPath.AS_CONFED_SET || count == 0) return null;
            if (count * asSize > v.readableBytes()) return null;
            int[] asns = new int[count];
            for (int i = 0; i < count; i++) asns[i] = asSize == 4 ? v.readInt() : v.readUnsignedShort();
            segments.add(new AsPath.Segment(type, asns));
        }
        return new AsPath(segments);
    }

    /** Writes flags, type, length (extended when the value exceeds 255 bytes) and value. */
    static void encode(PathAttribute a, SessionCodecContext ctx, ByteBuf out) {
        int len = valueLength(a, ctx);
        int flags = a.flags() & ~PathAttribute.EXTENDED_LENGTH;
        if (len > 255) flags |= PathAttribute.EXTENDED_LENGTH;
        out.writeByte(flags);
        out.writeByte(a.typeCode());
        if (len > 255) out.writeShort(len);
        else out.writeByte(len);
        int start = out.writerIndex();
        writeValue(a, ctx, out);
        if (out.writerIndex() - start != len) throw new IllegalStateException("length mismatch for " + a);
    }

    static int valueLength(PathAttribute a, SessionCodecContext ctx) {
        int asSize = ctx.fourOctetAs() ? 4 : 2;
        if (a instanceof AsPath p) return asPathLength(p, asSize);
        if (a instanceof PathAttribute.Aggregator) return asSize + 4;
        if (a instanceof PathAttribute.Communities c) return 4 * c.size();
        if (a instanceof PathAttribute.ClusterList c) return 4 * c.ids().length;
        if (a instanceof PathAttribute.MpReach r) return MpCodec.reachLength(r, ctx);
        if (a instanceof PathAttribute.MpUnreach u) return MpCodec.unreachLength(u, ctx);
        if (a instanceof PathAttribute.ExtendedCommunities e) return 8 * e.size();
        if (a instanceof PathAttribute.As4Path p) return asPathLength(p.path(), 4);
        if (a instanceof PathAttribute.As4Aggregator) return 8;
        if (a instanceof PathAttribute.LargeCommunities l) return 12 * l.size();
        if (a instanceof PathAttribute.UnknownAttribute u) return u.value().length;
        if (a instanceof PathAttribute.Origin) return 1;
        if (a instanceof PathAttribute.AtomicAggregate) return 0;
        return 4; // NEXT_HOP, MED, LOCAL_PREF, ORIGINATOR_ID, OTC
    }

    private static int asPathLength(AsPath p, int asSize) {
        int n = 0;
        for (AsPath.Segment s : p.segments()) n += 2 + s.size() * asSize;
        return n;
    }

    static void writeValue(PathAttribute a, SessionCodecContext ctx, ByteBuf out) {
        boolean four = ctx.fourOctetAs();
        if (a instanceof PathAttribute.Origin o) {
            out.writeByte(o.value());
        } else if (a instanceof AsPath p) {
            writeAsPath(p, four, out);
        } else if (a instanceof PathAttribute.NextHop n) {
            out.writeInt(n.address());
        } else if (a instanceof PathAttribute.Med m) {
            out.writeInt((int) m.value());
        } else if (a instanceof PathAttribute.LocalPref l) {
            out.writeInt((int) l.value());
        } else if (a instanceof PathAttribute.Aggregator g) {
            writeAs(g.asn(), four, out);
            out.writeInt(g.address());
        } else if (a instanceof PathAttribute.Communities c) {
            for (int i = 0; i < c.size(); i++) out.writeInt(c.get(i));
        } else if (a instanceof PathAttribute.OriginatorId o) {
            out.writeInt(o.id());
        } else if (a instanceof PathAttribute.ClusterList c) {
            for (int id : c.ids()) out.writeInt(id);
        } else if (a instanceof PathAttribute.MpReach r) {
            MpCodec.writeReach(r, ctx, out);
        } else if (a instanceof PathAttribute.MpUnreach u) {
            MpCodec.writeUnreach(u, ctx, out);
        } else if (a instanceof PathAttribute.ExtendedCommunities e) {
            for (int i = 0; i < e.size(); i++) out.writeLong(e.get(i));
        } else if (a instanceof PathAttribute.As4Path p) {
            writeAsPath(p.path(), true, out);
        } else if (a instanceof PathAttribute.As4Aggregator g) {
            out.writeInt((int) g.asn());
            out.writeInt(g.address());
        } else if (a instanceof PathAttribute.LargeCommunities l) {
            for (int v : l.values()) out.writeInt(v);
        } else if (a instanceof PathAttribute.Otc o) {
            out.writeInt((int) o.asn());
        } else if (a instanceof PathAttribute.UnknownAttribute u) {
            out.writeBytes(u.value());
        } // ATOMIC_AGGREGATE has no value
    }

    /** RFC 6793 section 4.2.2: on a 2-octet session an AS that does not fit is sent as AS_TRANS. */
    private static void writeAs(long asn, boolean four, ByteBuf out) {
        if (four) out.writeInt((int) asn);
        else out.writeShort(asn > 0xFFFF ? AsPath.AS_TRANS : (int) asn);
    }

    private static void writeAsPath(AsPath p, boolean four, ByteBuf out) {
        for (AsPath.Segment s : p.segments()) {
            out.writeByte(s.type());
            out.writeByte(s.size());
            for (int i = 0; i < s.size(); i++) writeAs(s.as(i), four, out);
        }
    }
}
