package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
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
        return decodeBody(body, ctx, null);
    }

    /**
     * As {@link #decodeBody(ByteBuf, SessionCodecContext)}, reusing the attribute sets {@code cache}
     * (the session's, may be null) decoded before: the result is the same as without it.
     */
    public static DecodeResult decodeBody(ByteBuf body, SessionCodecContext ctx, AttributeCache cache) {
        // One copy of the body, then plain array reads (cheaper than a bounds-checked call per byte).
        int total = body.readableBytes();
        byte[] a = cache != null ? cache.scratch(total) : new byte[total];
        body.getBytes(body.readerIndex(), a, 0, total);
        return decodeBody(a, 0, total, ctx, cache);
    }

    /**
     * As {@link #decodeBody(ByteBuf, SessionCodecContext, AttributeCache)}, for a body copied to
     * {@code a[base..base+total)} (which may be the cache's scratch array: nothing decoded keeps it).
     */
    static DecodeResult decodeBody(byte[] a, int base, int total, SessionCodecContext ctx, AttributeCache cache) {
        try {
            return decode(a, base, total, ctx, cache);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return new DecodeResult.Failed(UpdateErrors.unexpected("UPDATE not decodable: " + e.getMessage()));
        }
    }

    private static int u16(byte[] a, int i) {
        return ((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF);
    }

    private static DecodeResult decode(byte[] a, int base, int total, SessionCodecContext ctx, AttributeCache cache) {
        if (total < 4) return fail(UpdateErrors.lengths("UPDATE body of " + total + " bytes"));
        int withdrawnLength = u16(a, base);
        if (withdrawnLength + 4 > total) {
            return fail(UpdateErrors.lengths("Withdrawn Routes Length " + withdrawnLength + " exceeds the message"));
        }
        int attributesLength = u16(a, base + 2 + withdrawnLength);
        int attrStart = base + 4 + withdrawnLength;
        if (attributesLength > base + total - attrStart) {
            return fail(UpdateErrors.lengths("Total Path Attribute Length " + attributesLength + " exceeds the message"));
        }
        int attrEnd = attrStart + attributesLength;
        boolean addPath = ctx.addPathReceive().contains(AfiSafi.IPV4_UNICAST);
        List<Nlri> withdrawn = NlriCodec.list(a, base + 2, base + 2 + withdrawnLength, false, addPath);
        if (withdrawn == null) {
            return fail(UpdateErrors.nlriField("Withdrawn Routes: " + NlriCodec.error(a, base + 2, base + 2 + withdrawnLength, false, addPath)));
        }
        List<Nlri> nlri = NlriCodec.list(a, attrEnd, base + total, false, addPath);
        if (nlri == null) return fail(UpdateErrors.nlriField("NLRI: " + NlriCodec.error(a, attrEnd, base + total, false, addPath)));
        if (cache != null) {
            DecodeResult r = decodeCached(a, attrStart, attrEnd, withdrawn, nlri, ctx, cache);
            if (r != null) return r;
        }
        ByteBuf attributeField = Unpooled.wrappedBuffer(a, attrStart, attributesLength);

        AttributeReader attrs = AttributeReader.read(attributeField, ctx);
        // RFC 7606 section 3 d: well-known mandatory attributes, only when something is announced;
        // NEXT_HOP only for the IPv4 NLRI field (RFC 4760 section 3 makes it discretionary otherwise)
        PathAttribute.MpReach reach = attrs.find(PathAttribute.MpReach.class);
        boolean announces = !nlri.isEmpty() || (reach != null && !reach.nlri().isEmpty());
        if (announces) {
            if (!attrs.seen(PathAttribute.ORIGIN)) attrs.problems.add(UpdateErrors.missing(PathAttribute.ORIGIN));
            if (!attrs.seen(PathAttribute.AS_PATH)) attrs.problems.add(UpdateErrors.missing(PathAttribute.AS_PATH));
            if (!nlri.isEmpty() && !attrs.seen(PathAttribute.NEXT_HOP)) {
                attrs.problems.add(UpdateErrors.missing(PathAttribute.NEXT_HOP));
            }
        }
        BgpError first = mostSevere(attrs.problems);
        ErrorAction worst = first == null ? null : first.action();
        if (worst == ErrorAction.SESSION_RESET || worst == ErrorAction.AFI_SAFI_DISABLE) return fail(first);
        if (worst == ErrorAction.TREAT_AS_WITHDRAW) {
            return new DecodeResult.Decoded(withdrawAll(withdrawn, attrs.attributes, nlri), attrs.problems);
        }
        List<PathAttribute> list = ctx.fourOctetAs() ? attrs.attributes : As4.merge(attrs.attributes);
        return new DecodeResult.Decoded(new UpdateMessage(withdrawn, list, nlri), attrs.problems);
    }

    /** RFC 7606 section 3 h: the most severe error decides (the first of that severity); null for none. */
    private static BgpError mostSevere(List<BgpError> problems) {
        if (problems.isEmpty()) return null; // the usual case, without an iterator
        BgpError first = null;
        for (BgpError e : problems) {
            if (first == null || e.action().ordinal() < first.action().ordinal()) first = e;
        }
        return first;
    }

    /**
     * The attribute field through the session's {@link AttributeCache}, with the outcome {@link
     * #decode} would have: the non-MP attributes come from the cache (a set that decoded without
     * any problem, so it adds none), MP_REACH / MP_UNREACH are decoded here in wire order as the
     * reader would, then the same mandatory-attribute checks and the same choice of the most
     * severe problem. Null when this field is not for the cache (a header overrun, an MP
     * attribute twice, a long field, or a set with problems): the caller decodes as usual.
     */
    private static DecodeResult decodeCached(byte[] a, int start, int end, List<Nlri> withdrawn,
                                             List<Nlri> nlri, SessionCodecContext ctx, AttributeCache cache) {
        int mp1 = -1; // the first MP attribute: offset and length
        int mp1Len = 0;
        int mp2 = -1;
        int mp2Len = 0;
        boolean reachSeen = false;
        boolean unreachSeen = false;
        for (int p = start; p < end; ) {
            int remaining = end - p;
            int flags = a[p] & 0xFF;
            int header = (flags & PathAttribute.EXTENDED_LENGTH) != 0 ? 4 : 3;
            if (remaining < header) return null;
            int type = a[p + 1] & 0xFF;
            int n = header + (header == 4 ? u16(a, p + 2) : a[p + 2] & 0xFF);
            if (n > remaining) return null;
            if (type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI) {
                if (type == PathAttribute.MP_REACH_NLRI ? reachSeen : unreachSeen) return null;
                if (type == PathAttribute.MP_REACH_NLRI) reachSeen = true;
                else unreachSeen = true;
                if (mp1 < 0) {
                    mp1 = p;
                    mp1Len = n;
                } else {
                    mp2 = p;
                    mp2Len = n;
                }
            }
            p += n;
        }
        int keyLength = end - start - mp1Len - mp2Len;
        if (keyLength > AttributeCache.MAX_KEY) return null;
        boolean four = ctx.fourOctetAs();
        // consecutive UPDATEs of a feed mostly carry the same set: the last one first, without hashing
        AttributeCache.Entry e = cache.last;
        if (e == null || e.fourOctetAs() != four || e.key().length != keyLength
                || !sameKey(e.key(), a, start, end, mp1, mp1Len, mp2, mp2Len)) {
            int h = hash(a, start, end, mp1, mp1Len, mp2, mp2Len);
            e = cache.get(h);
            if (e == null || e.hash() != h || e.fourOctetAs() != four || e.key().length != keyLength
                    || !sameKey(e.key(), a, start, end, mp1, mp1Len, mp2, mp2Len)) {
                cache.misses++;
                e = entry(a, start, end, mp1, mp1Len, mp2, mp2Len, keyLength, h, ctx);
                if (e == null) return null;
                cache.put(e);
            } else {
                cache.hits++;
            }
            cache.last = e;
        } else {
            cache.hits++;
        }

        List<BgpError> problems = null;
        PathAttribute m1 = null;
        PathAttribute m2 = null;
        for (int k = 0; k < 2; k++) {
            int p = k == 0 ? mp1 : mp2;
            if (p < 0) break;
            int flags = a[p] & 0xFF;
            int header = (flags & PathAttribute.EXTENDED_LENGTH) != 0 ? 4 : 3;
            int length = (k == 0 ? mp1Len : mp2Len) - header;
            AttributeCodec.Result res = AttributeCodec.decode(flags, a[p + 1] & 0xFF,
                    Unpooled.wrappedBuffer(a, p, header + length), Unpooled.wrappedBuffer(a, p + header, length), ctx);
            if (res.error() != null) {
                if (problems == null) problems = new ArrayList<>(2);
                problems.add(res.error());
            } else if (k == 0) {
                m1 = res.attribute();
            } else {
                m2 = res.attribute();
            }
        }
        PathAttribute.MpReach reach = m1 instanceof PathAttribute.MpReach r ? r
                : m2 instanceof PathAttribute.MpReach r ? r : null;
        // RFC 7606 section 3 d, as in decode
        boolean announces = !nlri.isEmpty() || (reach != null && !reach.nlri().isEmpty());
        if (announces && (!e.origin() || !e.asPath() || (!nlri.isEmpty() && !e.nextHop()))) {
            if (problems == null) problems = new ArrayList<>(3);
            if (!e.origin()) problems.add(UpdateErrors.missing(PathAttribute.ORIGIN));
            if (!e.asPath()) problems.add(UpdateErrors.missing(PathAttribute.AS_PATH));
            if (!nlri.isEmpty() && !e.nextHop()) problems.add(UpdateErrors.missing(PathAttribute.NEXT_HOP));
        }
        if (problems == null) problems = List.of();
        BgpError first = mostSevere(problems);
        ErrorAction worst = first == null ? null : first.action();
        if (worst == ErrorAction.SESSION_RESET || worst == ErrorAction.AFI_SAFI_DISABLE) return fail(first);
        if (m1 == null && m2 == null) {
            if (worst == ErrorAction.TREAT_AS_WITHDRAW) {
                return new DecodeResult.Decoded(withdrawAll(withdrawn, List.of(), nlri), problems);
            }
            return new DecodeResult.Decoded(new UpdateMessage(withdrawn, e.attributes(), nlri, e.pathAttributes()), problems);
        }
        List<PathAttribute> mp = m2 == null ? List.of(m1) : m1 == null ? List.of(m2) : List.of(m1, m2);
        if (worst == ErrorAction.TREAT_AS_WITHDRAW) {
            return new DecodeResult.Decoded(withdrawAll(withdrawn, mp, nlri), problems);
        }
        // The MP attributes join the cached ones at their place in type-code order.
        List<PathAttribute> list = new ArrayList<>(e.attributes().size() + 2);
        list.addAll(e.attributes());
        boolean onlyMp = true;
        for (PathAttribute x : mp) {
            int i = 0;
            while (i < list.size() && list.get(i).typeCode() < x.typeCode()) i++;
            list.add(i, x);
            // an MP attribute of a family not parsed stays an UnknownAttribute: a path attribute
            onlyMp &= x instanceof PathAttribute.MpReach || x instanceof PathAttribute.MpUnreach;
        }
        return new DecodeResult.Decoded(new UpdateMessage(withdrawn, List.copyOf(list), nlri,
                onlyMp ? e.pathAttributes() : null), problems);
    }

    /** The hash of the key (the field without its MP attributes): over the up to three pieces in between. */
    private static int hash(byte[] a, int start, int end, int mp1, int mp1Len, int mp2, int mp2Len) {
        int h = 1;
        int p = start;
        for (int piece = 0; piece < 3; piece++) {
            if (piece == 1 && mp1 < 0 || piece == 2 && mp2 < 0) break;
            int stop = piece == 0 && mp1 >= 0 ? mp1 : piece == 1 && mp2 >= 0 ? mp2 : end;
            for (int i = p; i < stop; i++) h = 31 * h + a[i];
            p = stop + (piece == 0 ? mp1Len : mp2Len);
        }
        return h;
    }

    /** The key is the field without its MP attributes: compares the up to three pieces in between. */
    private static boolean sameKey(byte[] key, byte[] a, int start, int end, int mp1, int mp1Len, int mp2, int mp2Len) {
        int k = 0;
        int p = start;
        for (int piece = 0; piece < 3; piece++) {
            int stop = piece == 0 && mp1 >= 0 ? mp1 : piece == 1 && mp2 >= 0 ? mp2 : end;
            if (piece == 1 && mp1 < 0 || piece == 2 && mp2 < 0) break;
            int n = stop - p;
            if (!Arrays.equals(key, k, k + n, a, p, stop)) return false;
            k += n;
            p = stop + (piece == 0 ? mp1Len : mp2Len);
        }
        return k == key.length;
    }

    /** Decodes the non-MP attributes of the field on their own; null when they have any problem. */
    private static AttributeCache.Entry entry(byte[] a, int start, int end, int mp1, int mp1Len, int mp2, int mp2Len,
                                              int keyLength, int hash, SessionCodecContext ctx) {
        byte[] key = new byte[keyLength];
        int k = 0;
        int p = start;
        for (int piece = 0; piece < 3; piece++) {
            if (piece == 1 && mp1 < 0 || piece == 2 && mp2 < 0) break;
            int stop = piece == 0 && mp1 >= 0 ? mp1 : piece == 1 && mp2 >= 0 ? mp2 : end;
            System.arraycopy(a, p, key, k, stop - p);
            k += stop - p;
            p = stop + (piece == 0 ? mp1Len : mp2Len);
        }
        AttributeReader r = AttributeReader.read(Unpooled.wrappedBuffer(key), ctx);
        if (!r.problems.isEmpty()) return null;
        List<PathAttribute> list = new ArrayList<>(ctx.fourOctetAs() ? r.attributes : As4.merge(r.attributes));
        list.sort((x, y) -> Integer.compare(x.typeCode(), y.typeCode()));
        List<PathAttribute> sorted = List.copyOf(list);
        return new AttributeCache.Entry(key, hash, ctx.fourOctetAs(), sorted, Attributes.sorted(sorted),
                r.seen(PathAttribute.ORIGIN), r.seen(PathAttribute.AS_PATH), r.seen(PathAttribute.NEXT_HOP));
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
        int unreach = 0;
        for (PathAttribute a : msg.attributes()) if (a instanceof PathAttribute.MpUnreach) unreach++;
        if (unreach > 1) {
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
