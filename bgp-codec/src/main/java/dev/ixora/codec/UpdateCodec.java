package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * UPDATE body codec (RFC 4271 section 4.3; the 19-byte header is the framing codec's). Decoding never
 * throws: malformed input becomes a {@link DecodeResult.Failed} (session reset / AFI-SAFI disable) or a
 * {@link DecodeResult.Decoded} carrying warnings, already turned into a withdrawal where RFC 7606 says
 * treat-as-withdraw. The costs are decided in {@link UpdateErrors}.
 */
public final class UpdateCodec {
    private UpdateCodec() {}

    /**
     * Decodes the body of an UPDATE (everything after the header). Reads through a duplicate: the
     * caller's indices and reference count are left alone, the caller releases {@code body}.
     *
     * <p>Warnings with {@link ErrorAction#ATTRIBUTE_DISCARD} name attributes already dropped from the
     * message. A warning with {@link ErrorAction#TREAT_AS_WITHDRAW} means the message has already been
     * rewritten as a withdrawal of all its NLRI; consumers should then use {@link
     * UpdateMessage#withdrawnAll()} only and not read it as End-of-RIB (a malformed UPDATE without
     * NLRI comes out empty). AS4_PATH / AS4_AGGREGATOR are kept as received (on a 2-octet session
     * after being merged into AS_PATH / AGGREGATOR, RFC 6793 section 4.2.3); the encoder decides
     * per session whether they are sent.
     */
    public static DecodeResult decodeBody(ByteBuf body, SessionCodecContext ctx) {
        try {
            return decode(body.duplicate(), ctx);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return new DecodeResult.Failed(UpdateErrors.unexpected("UPDATE not decodable: " + e.getMessage()));
        }
    }

    private static DecodeResult decode(ByteBuf b, SessionCodecContext ctx) {
        int total = b.readableBytes();
        if (total < 4) return fail(UpdateErrors.lengths("UPDATE body of " + total + " bytes"));
        int withdrawnLength = b.readUnsignedShort();
        if (withdrawnLength + 4 > total) {
            return fail(UpdateErrors.lengths("Withdrawn Routes Length " + withdrawnLength + " exceeds the message"));
        }
        ByteBuf withdrawnField = b.readSlice(withdrawnLength);
        int attributesLength = b.readUnsignedShort();
        if (attributesLength > b.readableBytes()) {
            return fail(UpdateErrors.lengths("Total Path Attribute Length " + attributesLength + " exceeds the message"));
        }
        ByteBuf attributeField = b.readSlice(attributesLength);
        boolean addPath = ctx.addPathReceive().contains(AfiSafi.IPV4_UNICAST);
        NlriCodec.Parsed withdrawn = NlriCodec.read(withdrawnField, false, addPath);
        if (withdrawn.nlri() == null) return fail(UpdateErrors.nlriField("Withdrawn Routes: " + withdrawn.error()));
        NlriCodec.Parsed nlri = NlriCodec.read(b, false, addPath);
        if (nlri.nlri() == null) return fail(UpdateErrors.nlriField("NLRI: " + nlri.error()));

        AttributeReader attrs = AttributeReader.read(attributeField, ctx);
        // RFC 7606 section 3 d: well-known mandatory attributes, only when something is announced;
        // NEXT_HOP only for the IPv4 NLRI field (RFC 4760 section 3 makes it discretionary otherwise)
        PathAttribute.MpReach reach = attrs.find(PathAttribute.MpReach.class);
        boolean announces = !nlri.nlri().isEmpty() || (reach != null && !reach.nlri().isEmpty());
        if (announces) {
            if (!attrs.seen(PathAttribute.ORIGIN)) attrs.problems.add(UpdateErrors.missing(PathAttribute.ORIGIN));
            if (!attrs.seen(PathAttribute.AS_PATH)) attrs.problems.add(UpdateErrors.missing(PathAttribute.AS_PATH));
            if (!nlri.nlri().isEmpty() && !attrs.seen(PathAttribute.NEXT_HOP)) {
                attrs.problems.add(UpdateErrors.missing(PathAttribute.NEXT_HOP));
            }
        }
        // RFC 7606 section 3 h: the most severe error decides
        ErrorAction worst = null;
        BgpError first = null;
        for (BgpError e : attrs.problems) {
            if (worst == null || e.action().ordinal() < worst.ordinal()) {
                worst = e.action();
                first = e;
            }
        }
        if (worst == ErrorAction.SESSION_RESET || worst == ErrorAction.AFI_SAFI_DISABLE) return fail(first);
        if (worst == ErrorAction.TREAT_AS_WITHDRAW) {
            return new DecodeResult.Decoded(withdrawAll(withdrawn.nlri(), attrs.attributes, nlri.nlri()), attrs.problems);
        }
        List<PathAttribute> list = ctx.fourOctetAs() ? attrs.attributes : As4.merge(attrs.attributes);
        return new DecodeResult.Decoded(new UpdateMessage(withdrawn.nlri(), list, nlri.nlri()), attrs.problems);
    }

    /**
     * RFC 7606 section 2 treat-as-withdraw: every NLRI of the message becomes a withdrawal, IPv4 in
     * the withdrawn field, MP_REACH NLRI in an MP_UNREACH of its family; no other attribute is kept.
     */
    private static UpdateMessage withdrawAll(List<Nlri> withdrawn, List<PathAttribute> attributes, List<Nlri> nlri) {
        List<Nlri> w = new ArrayList<>(withdrawn);
        w.addAll(nlri);
        PathAttribute.MpReach reach = null;
        PathAttribute.MpUnreach unreach = null;
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.MpReach r) reach = r;
            if (a instanceof PathAttribute.MpUnreach u) unreach = u;
        }
        List<PathAttribute> out = new ArrayList<>();
        if (reach != null && unreach != null && reach.afiSafi().equals(unreach.afiSafi())) {
            List<Nlri> both = new ArrayList<>(unreach.withdrawn());
            both.addAll(reach.nlri());
            out.add(new PathAttribute.MpUnreach(reach.afiSafi(), both));
        } else {
            if (unreach != null) out.add(unreach);
            if (reach != null) out.add(new PathAttribute.MpUnreach(reach.afiSafi(), reach.nlri()));
        }
        return new UpdateMessage(w, out, List.of());
    }

    private static DecodeResult fail(BgpError e) {
        return new DecodeResult.Failed(e);
    }

    /**
     * Encodes the body of {@code msg}: attributes in type-code order (RFC 4271 section 5), the
     * extended-length flag only for values over 255 bytes. RFC 6793 is applied here, for the session:
     * on a 2-octet session ASNs over 65535 become AS_TRANS with AS4_PATH / AS4_AGGREGATOR beside
     * them (those in the message are reused when still consistent); on a 4-octet session AS4_PATH /
     * AS4_AGGREGATOR in the message are not sent. With ADD-PATH for a family, an NLRI without a path
     * id is sent with path id 0. The codec does not check the message size ({@link #bodyLength}).
     */
    public static void encodeBody(UpdateMessage msg, SessionCodecContext ctx, ByteBuf out) {
        // RFC 7606 section 3 g: a second MP_UNREACH_NLRI makes the UPDATE malformed. Treat-as-withdraw
        // can decode into withdrawals of two families; those take two UPDATEs (the caller splits).
        if (msg.attributes().stream().filter(a -> a instanceof PathAttribute.MpUnreach).count() > 1) {
            throw new IllegalArgumentException("an UPDATE carries one MP_UNREACH_NLRI (RFC 7606 section 3 g): "
                    + "split the withdrawals of several families");
        }
        boolean addPath = ctx.addPathSend().contains(AfiSafi.IPV4_UNICAST);
        out.writeShort(NlriCodec.size(msg.withdrawn(), addPath));
        NlriCodec.write(msg.withdrawn(), addPath, out);
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        for (PathAttribute a : As4.forSession(msg.attributes(), ctx.fourOctetAs())) {
            AttributeCodec.encode(a, ctx, out);
        }
        out.setShort(lengthIndex, out.writerIndex() - lengthIndex - 2);
        NlriCodec.write(msg.nlri(), addPath, out);
    }

    /** Bytes {@link #encodeBody} will write. */
    public static int bodyLength(UpdateMessage msg, SessionCodecContext ctx) {
        boolean addPath = ctx.addPathSend().contains(AfiSafi.IPV4_UNICAST);
        int n = 4 + NlriCodec.size(msg.withdrawn(), addPath) + NlriCodec.size(msg.nlri(), addPath);
        for (PathAttribute a : As4.forSession(msg.attributes(), ctx.fourOctetAs())) {
            int len = AttributeCodec.valueLength(a, ctx);
            n += (len > 255 ? 4 : 3) + len;
        }
        return n;
    }

    /** Walks the path attribute field (RFC 4271 section 4.3), collecting attributes and problems. */
    static final class AttributeReader {
        final List<PathAttribute> attributes = new ArrayList<>();
        final List<BgpError> problems = new ArrayList<>();
        private final boolean[] seen = new boolean[256];

        boolean seen(int type) {
            return seen[type];
        }

        <T extends PathAttribute> T find(Class<T> kind) {
            for (PathAttribute a : attributes) if (kind.isInstance(a)) return kind.cast(a);
            return null;
        }

        static AttributeReader read(ByteBuf field, SessionCodecContext ctx) {
            AttributeReader r = new AttributeReader();
            while (field.isReadable()) {
                int start = field.readerIndex();
                int remaining = field.readableBytes();
                int flags = field.getUnsignedByte(start);
                int header = (flags & PathAttribute.EXTENDED_LENGTH) != 0 ? 4 : 3;
                int type = remaining >= 2 ? field.getUnsignedByte(start + 1) : -1;
                // RFC 7606 section 4: too few bytes left for an attribute header, or a length that overruns
                if (remaining < header) {
                    r.problems.add(UpdateErrors.attributeListOverrun(type, remaining + " stray bytes after the attributes"));
                    break;
                }
                int length = header == 4 ? field.getUnsignedShort(start + 2) : field.getUnsignedByte(start + 2);
                if (header + length > remaining) {
                    r.problems.add(UpdateErrors.attributeListOverrun(type,
                            "attribute " + type + " length " + length + " overruns the attribute list"));
                    break;
                }
                ByteBuf whole = field.slice(start, header + length);
                ByteBuf value = field.slice(start + header, length);
                field.skipBytes(header + length);
                if (r.seen[type]) {
                    r.problems.add(UpdateErrors.duplicate(type, whole));
                    continue;
                }
                r.seen[type] = true;
                if (PathAttribute.standardFlags(type) < 0 && (flags & PathAttribute.OPTIONAL) == 0) {
                    r.problems.add(UpdateErrors.unrecognizedWellKnown(type, whole));
                    continue;
                }
                AttributeCodec.Result res = AttributeCodec.decode(flags, type, whole, value, ctx);
                if (res.error() != null) r.problems.add(res.error());
                else r.attributes.add(res.attribute());
            }
            return r;
        }
    }
}
