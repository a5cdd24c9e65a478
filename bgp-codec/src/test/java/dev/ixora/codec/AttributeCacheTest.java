package dev.ixora.codec;

import static dev.ixora.codec.UpdateMalformedCorpusTest.AS_PATH;
import static dev.ixora.codec.UpdateMalformedCorpusTest.BASE;
import static dev.ixora.codec.UpdateMalformedCorpusTest.FOUR;
import static dev.ixora.codec.UpdateMalformedCorpusTest.NLRI;
import static dev.ixora.codec.UpdateMalformedCorpusTest.ORIGIN;
import static dev.ixora.codec.UpdateMalformedCorpusTest.TWO;
import static dev.ixora.codec.UpdateMalformedCorpusTest.body;
import static dev.ixora.codec.UpdateTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AttributeCache} must not change what a decode returns: every body here is decoded with a
 * cache, warm with other bodies (other contexts, other MP attributes, other NLRI), and without
 * one, and the outcomes (message, warnings, error: action, subcode, data, reason) must be equal.
 */
class AttributeCacheTest {
    static final String MP_REACH_V6 = UpdateMalformedCorpusTest.MP_REACH_V6;
    static final String MP_REACH_V6_OTHER = "800e1a 0002 01 10 20010db8000000000000000000000002 00 20 20010db9";
    static final String MP_UNREACH_V6 = "800f08 000201 2020010dba";
    static final String MP_REACH_UNKNOWN_SAFI = "800e0a 0002 80 04 c0000201 00 00";

    /** A result as comparable text (BgpError holds a byte[], which its record equals compares by reference). */
    static String describe(DecodeResult r) {
        if (r instanceof DecodeResult.Failed f) return "Failed " + describe(f.error());
        DecodeResult.Decoded d = (DecodeResult.Decoded) r;
        UpdateMessage m = (UpdateMessage) d.message();
        return "Decoded " + m + " path " + m.pathAttributes() + " warnings "
                + d.warnings().stream().map(AttributeCacheTest::describe).toList();
    }

    static String describe(BgpError e) {
        return e.code() + "/" + e.subcode() + " " + e.action() + " " + (e.data() == null ? "-" : hex(e.data())) + " " + e.reason();
    }

    /** A heap buffer: Netty's paranoid leak detector (on in this build) would make 100,000 decodes slow. */
    static DecodeResult decode(byte[] body, SessionCodecContext ctx, AttributeCache cache) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            DecodeResult r = UpdateCodec.decodeBody(buf, ctx, cache);
            assertEquals(0, buf.readerIndex());
            return r;
        } finally {
            buf.release();
        }
    }

    /** Same outcome as without a cache; also checks the message's derived path attributes. */
    static DecodeResult assertSameAsUncached(String name, byte[] body, SessionCodecContext ctx, AttributeCache cache) {
        DecodeResult plain = decode(body, ctx, null);
        DecodeResult cached = decode(body, ctx, cache);
        assertEquals(describe(plain), describe(cached), name);
        if (plain instanceof DecodeResult.Decoded p) {
            UpdateMessage a = (UpdateMessage) p.message();
            UpdateMessage b = (UpdateMessage) ((DecodeResult.Decoded) cached).message();
            assertEquals(a, b, name);
            assertEquals(a.hashCode(), b.hashCode(), name);
            assertEquals(a.pathAttributes(), b.pathAttributes(), name);
            List<PathAttribute> path = new ArrayList<>();
            for (PathAttribute x : b.attributes()) {
                if (!(x instanceof PathAttribute.MpReach) && !(x instanceof PathAttribute.MpUnreach)) path.add(x);
            }
            assertEquals(new Attributes(path), b.pathAttributes(), name + ": pathAttributes is the non-MP attributes");
        }
        return cached;
    }

    /** The malformed corpus plus bodies that share attribute bytes but differ in MP attributes or NLRI. */
    static List<Object[]> bodies() {
        List<Object[]> out = new ArrayList<>();
        UpdateMalformedCorpusTest.corpus().forEach(a -> out.add(new Object[] {a.get()[0], hex((String) a.get()[1])}));
        String[][] extra = {
                {"base without NLRI", body("", BASE, "")},
                {"base with MP_REACH", body("", BASE + MP_REACH_V6, NLRI)},
                {"base with MP_REACH, no IPv4 NLRI", body("", BASE + MP_REACH_V6, "")},
                {"base with another MP_REACH", body("", BASE + MP_REACH_V6_OTHER, NLRI)},
                {"base with MP_UNREACH", body("", BASE + MP_UNREACH_V6, NLRI)},
                {"base with MP_REACH and MP_UNREACH", body("", BASE + MP_REACH_V6 + MP_UNREACH_V6, NLRI)},
                {"MP_UNREACH first", body("", MP_UNREACH_V6 + BASE + MP_REACH_V6, NLRI)},
                {"MP_REACH between", body("", ORIGIN + MP_REACH_V6 + AS_PATH + UpdateMalformedCorpusTest.NEXT_HOP, NLRI)},
                {"MP_REACH of an unparsed SAFI", body("", BASE + MP_REACH_UNKNOWN_SAFI, NLRI)},
                {"ORIGIN and AS_PATH, MP_REACH only", body("", ORIGIN + AS_PATH + MP_REACH_V6, "")},
                {"ORIGIN and AS_PATH, IPv4 NLRI (no NEXT_HOP)", body("", ORIGIN + AS_PATH, NLRI)},
                {"ORIGIN and AS_PATH, MP_REACH and IPv4 NLRI", body("", ORIGIN + AS_PATH + MP_REACH_V6, NLRI)},
                {"base with a malformed MP_REACH", body("", BASE + "800e0e 000201 05 2001db8000 00 20 20010db8", NLRI)},
                {"base, a withdrawal and two prefixes", body("18 c63301", BASE, NLRI + "10 0a01")},
                {"empty (End-of-RIB)", body("", "", "")},
                {"AS_PATH 2-octet", body("", ORIGIN + UpdateMalformedCorpusTest.AS_PATH2 + UpdateMalformedCorpusTest.NEXT_HOP, NLRI)},
                {"AS4_PATH beside AS_TRANS", body("", ORIGIN + "400204 02015ba0" + UpdateMalformedCorpusTest.NEXT_HOP
                        + "c01106 0201 00011170", NLRI)},
                {"extended length COMMUNITIES", body("", BASE + "d0080004 fde80001", NLRI)},
                {"communities", body("", BASE + "c00808 fde80001fde80002", NLRI)},
        };
        for (String[] e : extra) out.add(new Object[] {e[0], hex(e[1])});
        return out;
    }

    @Test
    void everyBodyAfterEveryOtherDecodesAsWithoutTheCache() {
        List<Object[]> bodies = bodies();
        SessionCodecContext[] contexts = {FOUR, TWO};
        int hits = 0;
        for (Object[] first : bodies) {
            for (SessionCodecContext c1 : contexts) {
                AttributeCache cache = new AttributeCache();
                decode((byte[]) first[1], c1, cache);
                for (Object[] then : bodies) {
                    for (SessionCodecContext c2 : contexts) {
                        String name = then[0] + " (" + (c2.fourOctetAs() ? 4 : 2) + "-octet) after " + first[0]
                                + " (" + (c1.fourOctetAs() ? 4 : 2) + "-octet)";
                        long before = cache.hits();
                        assertSameAsUncached(name, (byte[]) then[1], c2, cache);
                        hits += (int) (cache.hits() - before);
                    }
                }
            }
        }
        assertTrue(hits > 1000, "the cache was used: " + hits + " hits");
    }

    @Test
    void aRepeatedAttributeSetIsDecodedOnceAndShared() {
        AttributeCache cache = new AttributeCache();
        byte[] one = hex(body("", BASE, NLRI));
        byte[] two = hex(body("", BASE, "18 c63301"));
        UpdateMessage a = (UpdateMessage) ((DecodeResult.Decoded) decode(one, FOUR, cache)).message();
        UpdateMessage b = (UpdateMessage) ((DecodeResult.Decoded) decode(two, FOUR, cache)).message();
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        assertSame(a.pathAttributes(), b.pathAttributes(), "one Attributes object for both");
        assertSame(a.attributes(), b.attributes());
        assertEquals(List.of(Nlri.parse("198.51.1.0/24")), b.nlri());
    }

    @Test
    void mpAttributesAreDecodedForEachMessage() {
        AttributeCache cache = new AttributeCache();
        UpdateMessage a = (UpdateMessage) ((DecodeResult.Decoded) assertSameAsUncached("first",
                hex(body("", BASE + MP_REACH_V6, NLRI)), FOUR, cache)).message();
        UpdateMessage b = (UpdateMessage) ((DecodeResult.Decoded) assertSameAsUncached("second",
                hex(body("", BASE + MP_REACH_V6_OTHER, NLRI)), FOUR, cache)).message();
        assertEquals(1, cache.hits());
        assertSame(a.pathAttributes(), b.pathAttributes());
        assertEquals(List.of(Nlri.parse("2001:db9::/32")), b.mpReach().nlri());
        // the same attribute bytes, now with an MP_REACH whose next hop length is malformed: AFI/SAFI disable
        DecodeResult.Failed f = assertInstanceOf(DecodeResult.Failed.class, assertSameAsUncached("malformed MP_REACH",
                hex(body("", BASE + "800e0e 000201 05 2001db8000 00 20 20010db8", NLRI)), FOUR, cache));
        assertEquals(ErrorAction.AFI_SAFI_DISABLE, f.error().action());
        // an MP_REACH of a family not parsed is a path attribute (kept byte for byte), not cached with the rest
        UpdateMessage u = (UpdateMessage) ((DecodeResult.Decoded) assertSameAsUncached("unknown SAFI",
                hex(body("", BASE + MP_REACH_UNKNOWN_SAFI, NLRI)), FOUR, cache)).message();
        assertNotSame(a.pathAttributes(), u.pathAttributes());
        assertEquals(4, u.pathAttributes().size());
    }

    @Test
    void missingNextHopDependsOnTheMessageNotOnTheCachedSet() {
        AttributeCache cache = new AttributeCache();
        // cached from a message where NEXT_HOP is not needed (MP_REACH only) ...
        assertSameAsUncached("MP only", hex(body("", ORIGIN + AS_PATH + MP_REACH_V6, "")), FOUR, cache);
        // ... the same attribute bytes with IPv4 NLRI: NEXT_HOP missing, treat-as-withdraw
        DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class,
                assertSameAsUncached("IPv4 NLRI", hex(body("", ORIGIN + AS_PATH + MP_REACH_V6, NLRI)), FOUR, cache));
        assertEquals(1, cache.hits());
        assertEquals(ErrorAction.TREAT_AS_WITHDRAW, d.warnings().get(0).action());
        assertEquals(List.of(Nlri.parse("203.0.113.0/24")), ((UpdateMessage) d.message()).withdrawn());
    }

    @Test
    void theSameBytesOnA2OctetSessionAreNotTheCachedSet() {
        AttributeCache cache = new AttributeCache();
        // valid both ways: 2-octet SEQUENCE(1 2) SEQUENCE(3), 4-octet SEQUENCE(65538 33619971)
        String attrs = ORIGIN + "40020a 0202 00010002 0201 0003" + UpdateMalformedCorpusTest.NEXT_HOP;
        UpdateMessage two = (UpdateMessage) ((DecodeResult.Decoded) assertSameAsUncached("2-octet",
                hex(body("", attrs, NLRI)), TWO, cache)).message();
        assertEquals(3, two.attribute(AsPath.class).orElseThrow().length());
        DecodeResult four = assertSameAsUncached("4-octet", hex(body("", attrs, NLRI)), FOUR, cache);
        assertEquals(0, cache.hits());
        assertEquals(AsPath.sequence(0x00010002L, 0x02010003L), ((UpdateMessage) ((DecodeResult.Decoded) four).message())
                .attribute(AsPath.class).orElseThrow());
    }

    @Test
    void attributeSetsWithProblemsAreNotCached() {
        AttributeCache cache = new AttributeCache();
        byte[] b = hex(body("", BASE + "c00706 fde8c0000201", NLRI)); // AGGREGATOR discarded
        assertSameAsUncached("once", b, FOUR, cache);
        assertSameAsUncached("twice", b, FOUR, cache);
        assertEquals(0, cache.hits());
    }

    /** A whole UPDATE message around {@code body}: RFC 4271 section 4.1 marker, length, type 2. */
    private static byte[] updateMessage(byte[] body) {
        byte[] m = new byte[19 + body.length];
        java.util.Arrays.fill(m, 0, 16, (byte) 0xff);
        m[16] = (byte) (m.length >> 8);
        m[17] = (byte) m.length;
        m[18] = 2;
        System.arraycopy(body, 0, m, 19, body.length);
        return m;
    }

    /** Whole messages through {@link BgpMessageCodec#decode} with a cache: header checks on the copy, the same outcomes. */
    @Test
    void wholeMessagesWithBrokenHeadersDecodeAsWithoutTheCache() {
        AttributeCache cache = new AttributeCache();
        int n = 0;
        for (Object[] o : bodies()) {
            byte[] body = (byte[]) o[1];
            byte[] m = updateMessage(body);
            List<byte[]> variants = new ArrayList<>();
            variants.add(m);
            byte[] marker = m.clone();
            marker[7] = 0;
            variants.add(marker);
            byte[] longer = m.clone();
            longer[17]++;
            variants.add(longer);
            byte[] shorter = m.clone();
            shorter[16] = 0;
            shorter[17] = 22; // below the UPDATE minimum of 23
            variants.add(shorter);
            byte[] tooLong = m.clone();
            tooLong[16] = 0x10;
            tooLong[17] = 1; // 4097 on a session without extended messages
            variants.add(tooLong);
            variants.add(java.util.Arrays.copyOf(m, 18)); // no complete header
            for (byte[] v : variants) {
                for (SessionCodecContext ctx : new SessionCodecContext[] {FOUR, TWO}) {
                    ByteBuf buf = Unpooled.wrappedBuffer(v);
                    String plain = describe(BgpMessageCodec.decode(buf, ctx));
                    String cached = describe(BgpMessageCodec.decode(buf, ctx, cache));
                    assertEquals(0, buf.readerIndex());
                    assertEquals(plain, cached, o[0] + " " + hex(v));
                    n++;
                }
            }
        }
        assertTrue(n > 500);
        assertTrue(cache.hits() > 0);
    }

    /** RFC 8654: a message longer than the scratch array the cache keeps decodes the same (from an array of its own). */
    @Test
    void extendedMessagesLongerThanTheScratchArray() {
        SessionCodecContext ext = new SessionCodecContext(true, java.util.Set.of(), java.util.Set.of(), true);
        StringBuilder nlri = new StringBuilder();
        for (int i = 0; i < 2000; i++) nlri.append(String.format("18 0a%04x", i)); // 2000 /24s: 8000 bytes
        AttributeCache cache = new AttributeCache();
        byte[] small = hex(body("", BASE, NLRI));
        byte[] big = hex(body("", BASE, nlri.toString()));
        assertTrue(big.length > AttributeCache.MAX_SCRATCH);
        assertSameAsUncached("small", small, ext, cache);
        UpdateMessage m = (UpdateMessage) ((DecodeResult.Decoded) assertSameAsUncached("big", big, ext, cache)).message();
        assertEquals(2000, m.nlri().size());
        assertSameAsUncached("small again", small, ext, cache);
        assertEquals(2, cache.hits());
        byte[] whole = updateMessage(big);
        assertEquals(describe(BgpMessageCodec.decode(Unpooled.wrappedBuffer(whole), ext)),
                describe(BgpMessageCodec.decode(Unpooled.wrappedBuffer(whole), ext, cache)));
    }

    /** Random bodies (as in UpdateMalformedCorpusTest.garbageNeverThrows), all through one cache. */
    @Test
    void randomBodiesThroughOneCache() {
        Random rnd = new Random(7606);
        AttributeCache cache = new AttributeCache();
        List<byte[]> seeds = new ArrayList<>();
        for (Object[] o : bodies()) seeds.add((byte[]) o[1]);
        for (int i = 0; i < 20000; i++) {
            byte[] b;
            if (rnd.nextBoolean()) {
                b = seeds.get(rnd.nextInt(seeds.size())).clone();
                if (b.length > 0) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            } else {
                b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                if (b.length >= 4) UpdateMalformedCorpusTest.plausibleLengths(b, rnd);
            }
            assertSameAsUncached("random #" + i + " " + hex(b), b, i % 3 == 0 ? TWO : FOUR, cache);
        }
    }

    /** Real collector data: one cache per peer, as a session would have. */
    @Test
    void realUpdatesThroughAPerPeerCache() throws IOException {
        Map<String, AttributeCache> caches = new HashMap<>();
        int updates = 0;
        for (String file : new String[] {"updates.20070211.0141.gz", "updates.20160811.1600.gz"}) {
            for (MrtReader.Record r : MrtReader.read(MrtReader.dataDir().resolve(file))) {
                if (r.messageType() != BgpMessage.UPDATE) continue;
                updates++;
                AttributeCache cache = caches.computeIfAbsent(r.peer() + " " + r.peerAs(), k -> new AttributeCache());
                SessionCodecContext ctx = MrtUpdateCorpusTest.contextFor(r);
                ByteBuf in = Unpooled.wrappedBuffer(r.body());
                DecodeResult plain = UpdateCodec.decodeBody(in, ctx);
                DecodeResult cached = UpdateCodec.decodeBody(in, ctx, cache);
                in.release();
                assertEquals(describe(plain), describe(cached), file + " update #" + updates);
            }
        }
        long hits = caches.values().stream().mapToLong(AttributeCache::hits).sum();
        long misses = caches.values().stream().mapToLong(AttributeCache::misses).sum();
        System.out.println("MRT updates " + updates + ": attribute cache hits " + hits + ", misses " + misses);
        assertTrue(hits > 0);
    }
}
