package dev.ixora.codec;

import static dev.ixora.codec.UpdateTestSupport.decode;
import static dev.ixora.codec.UpdateTestSupport.decodeOk;
import static dev.ixora.codec.UpdateTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-UPDATE corpus: one row per RFC 7606 / RFC 4271 section 6.3 rule, hex in, expected
 * action and UPDATE Message Error subcode out. Bodies are built from a valid base (ORIGIN, AS_PATH,
 * NEXT_HOP announcing 203.0.113.0/24) with one thing broken.
 */
class UpdateMalformedCorpusTest {
    static final String ORIGIN = "400101 00";
    static final String AS_PATH = "400206 0201 0000fde8"; // 4-octet: SEQUENCE 65000
    static final String AS_PATH2 = "400204 0201 fde8"; // 2-octet
    static final String NEXT_HOP = "400304 c0000201";
    static final String BASE = ORIGIN + AS_PATH + NEXT_HOP;
    static final String NLRI = "18 cb0071";
    static final String MP_REACH_V6 = "800e1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8";
    static final SessionCodecContext FOUR = SessionCodecContext.FOUR_OCTET;
    static final SessionCodecContext TWO = SessionCodecContext.INITIAL;

    /** withdrawn field, attribute field, NLRI field -> UPDATE body with both lengths filled in. */
    static String body(String withdrawn, String attributes, String nlri) {
        int w = hex(withdrawn).length;
        int a = hex(attributes).length;
        return String.format("%04x", w) + withdrawn + String.format("%04x", a) + attributes + nlri;
    }

    static Arguments row(String name, String body, SessionCodecContext ctx, ErrorAction action, int subcode) {
        return Arguments.of(name, body, ctx, action, subcode);
    }

    static Stream<Arguments> corpus() {
        ErrorAction reset = ErrorAction.SESSION_RESET;
        ErrorAction taw = ErrorAction.TREAT_AS_WITHDRAW;
        ErrorAction discard = ErrorAction.ATTRIBUTE_DISCARD;
        ErrorAction disable = ErrorAction.AFI_SAFI_DISABLE;
        return Stream.of(
                // RFC 4271 6.3 / RFC 7606 section 4: the field lengths themselves
                row("body shorter than 4 bytes", "0000", FOUR, reset, 1),
                row("withdrawn length past the end", "0010 0000", FOUR, reset, 1),
                row("total attribute length past the end", "0000 0010 40010100", FOUR, reset, 1),
                // RFC 7606 section 5.3 / 3 j: NLRI fields that cannot be parsed
                row("withdrawn prefix /33", body("21 cb00710000", "", ""), FOUR, reset, 10),
                row("NLRI prefix /33", body("", BASE, "21 cb00710000"), FOUR, reset, 10),
                row("NLRI prefix overruns", body("", BASE, "18 cb00"), FOUR, reset, 10),
                // RFC 7606 section 4: attribute list overruns, NLRI still located
                row("attribute length overruns the list", body("", BASE + "c00808 0000", NLRI), FOUR, taw, 1),
                row("stray byte after the attributes", body("", BASE + "40", NLRI), FOUR, taw, 1),
                row("extended length header truncated", body("", BASE + "500100", NLRI), FOUR, taw, 1),
                row("MP_REACH overruns the list", body("", BASE + "800e30 000201", NLRI), FOUR, reset, 1),
                // RFC 7606 section 3 c: flags
                row("ORIGIN marked optional", body("", "c00101 00" + AS_PATH + NEXT_HOP, NLRI), FOUR, taw, 4),
                row("MED marked transitive", body("", BASE + "c00404 00000064", NLRI), FOUR, taw, 4),
                row("ATOMIC_AGGREGATE marked optional", body("", BASE + "c00600", NLRI), FOUR, discard, 4),
                row("MP_REACH marked transitive", body("", ORIGIN + AS_PATH + "c00e1a" + MP_REACH_V6.substring(6), ""),
                        FOUR, disable, 4),
                // RFC 7606 section 3 d: missing well-known mandatory
                row("missing ORIGIN", body("", AS_PATH + NEXT_HOP, NLRI), FOUR, taw, 3),
                row("missing AS_PATH", body("", ORIGIN + NEXT_HOP, NLRI), FOUR, taw, 3),
                row("missing NEXT_HOP with IPv4 NLRI", body("", ORIGIN + AS_PATH, NLRI), FOUR, taw, 3),
                row("missing ORIGIN with MP_REACH only", body("", AS_PATH + MP_REACH_V6, ""), FOUR, taw, 3),
                row("MP_REACH without NLRI needs no ORIGIN", body("", "800e15 0002 01 10 20010db8000000000000000000000001 00", ""),
                        FOUR, null, 0),
                // RFC 7606 section 7: per attribute
                row("ORIGIN length 2", body("", "400102 0000" + AS_PATH + NEXT_HOP, NLRI), FOUR, taw, 5),
                row("ORIGIN value 3", body("", "400101 03" + AS_PATH + NEXT_HOP, NLRI), FOUR, taw, 6),
                row("AS_PATH segment type 5", body("", ORIGIN + "400206 0501 0000fde8" + NEXT_HOP, NLRI), FOUR, taw, 11),
                row("AS_PATH zero-length segment", body("", ORIGIN + "400202 0200" + NEXT_HOP, NLRI), FOUR, taw, 11),
                row("AS_PATH segment overrun", body("", ORIGIN + "400206 0202 0000fde8" + NEXT_HOP, NLRI), FOUR, taw, 11),
                row("AS_PATH one-byte underrun", body("", ORIGIN + "400207 0201 0000fde8 02" + NEXT_HOP, NLRI), FOUR, taw, 11),
                row("AS_PATH 2-octet read as 4", body("", ORIGIN + AS_PATH2 + NEXT_HOP, NLRI), FOUR, taw, 11),
                row("NEXT_HOP length 5", body("", ORIGIN + AS_PATH + "400305 c000020100", NLRI), FOUR, taw, 5),
                row("MED length 3", body("", BASE + "800403 000064", NLRI), FOUR, taw, 5),
                row("LOCAL_PREF length 0", body("", BASE + "400500", NLRI), FOUR, taw, 5),
                row("ATOMIC_AGGREGATE length 1", body("", BASE + "400601 00", NLRI), FOUR, discard, 5),
                row("AGGREGATOR 2-octet on a 4-octet session", body("", BASE + "c00706 fde8c0000201", NLRI), FOUR, discard, 5),
                row("COMMUNITIES length 3", body("", BASE + "c00803 000001", NLRI), FOUR, taw, 5),
                row("COMMUNITIES length 0", body("", BASE + "c00800", NLRI), FOUR, taw, 5),
                row("ORIGINATOR_ID length 3", body("", BASE + "800903 0a0000", NLRI), FOUR, taw, 5),
                row("CLUSTER_LIST length 5", body("", BASE + "800a05 0a00000101", NLRI), FOUR, taw, 5),
                row("EXTENDED_COMMUNITIES length 4", body("", BASE + "c01004 00020001", NLRI), FOUR, taw, 5),
                row("LARGE_COMMUNITY length 8", body("", BASE + "c02008 0000000100000002", NLRI), FOUR, taw, 5),
                row("AS4_PATH zero-length segment", body("", ORIGIN + AS_PATH2 + NEXT_HOP + "c01102 0200", NLRI), TWO, discard, 9),
                row("AS4_PATH with a confederation segment",
                        body("", ORIGIN + AS_PATH2 + NEXT_HOP + "c01106 0301 00011170", NLRI), TWO, discard, 9),
                row("AS4_AGGREGATOR length 6", body("", ORIGIN + AS_PATH2 + NEXT_HOP + "c01206 0001c0000201", NLRI), TWO, discard, 5),
                row("OTC length 3", body("", BASE + "c02303 00fde8", NLRI), FOUR, discard, 5),
                // RFC 7606 section 3 g: repeated attributes
                row("ORIGIN twice", body("", BASE + "400101 02", NLRI), FOUR, discard, 1),
                row("MP_REACH twice", body("", ORIGIN + AS_PATH + MP_REACH_V6 + MP_REACH_V6, ""), FOUR, reset, 1),
                row("MP_UNREACH twice", body("", "800f03 000201" + "800f03 000201", ""), FOUR, reset, 1),
                // RFC 7606 section 7.11 / RFC 4760 section 7: MP attributes
                row("MP_REACH next hop length 5",
                        body("", ORIGIN + AS_PATH + "800e0e 000201 05 2001db8000 00 20 20010db8", ""), FOUR, disable, 9),
                row("MP_REACH NLRI /129", body("", ORIGIN + AS_PATH
                        + "800e1a 0002 01 10 20010db8000000000000000000000001 00 81 20010db8", ""), FOUR, disable, 9),
                row("MP_UNREACH NLRI overrun", body("", "800f05 000201 3020", ""), FOUR, disable, 9),
                row("MP_REACH too short for AFI/SAFI", body("", ORIGIN + AS_PATH + "800e02 0002", ""), FOUR, reset, 9),
                // RFC 4271 6.3: unknown attributes
                row("unrecognized well-known attribute", body("", BASE + "406301 00", NLRI), FOUR, reset, 2),
                row("unknown optional transitive attribute is kept", body("", BASE + "e06302 abcd", NLRI), FOUR, null, 0),
                row("valid base", body("", BASE, NLRI), FOUR, null, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpus(String name, String body, SessionCodecContext ctx, ErrorAction action, int subcode) {
        DecodeResult r = decode(hex(body), ctx);
        if (action == null) {
            DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, r, name);
            assertEquals(List.of(), d.warnings(), name);
            return;
        }
        BgpError error;
        if (action == ErrorAction.SESSION_RESET || action == ErrorAction.AFI_SAFI_DISABLE) {
            error = assertInstanceOf(DecodeResult.Failed.class, r, () -> name + ": " + r).error();
        } else {
            DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, r, () -> name + ": " + r);
            assertFalse(d.warnings().isEmpty(), name);
            error = d.warnings().stream().filter(w -> w.action() == action).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no " + action + " in " + d.warnings()));
            UpdateMessage m = (UpdateMessage) d.message();
            if (action == ErrorAction.TREAT_AS_WITHDRAW) {
                assertTrue(m.nlri().isEmpty(), name);
                assertTrue(m.attributes().stream().allMatch(a -> a instanceof PathAttribute.MpUnreach), name);
                assertTrue(m.announced().isEmpty(), name);
            } else {
                assertFalse(m.nlri().isEmpty() && m.attribute(PathAttribute.MpReach.class).isEmpty(),
                        name + ": attribute discard keeps the routes");
            }
        }
        assertEquals(action, error.action(), name);
        assertEquals(BgpError.UPDATE_MESSAGE_ERROR, error.code(), name);
        assertEquals(subcode, error.subcode(), () -> name + ": " + error);
    }

    @Test
    void treatAsWithdrawWithdrawsIpv4AndMpReachNlri() {
        String attrs = ORIGIN + AS_PATH + NEXT_HOP + "800403 000064" + MP_REACH_V6;
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(hex(body("", attrs, NLRI)), FOUR);
        UpdateMessage m = (UpdateMessage) d.message();
        assertEquals(List.of(Nlri.parse("203.0.113.0/24")), m.withdrawn());
        assertEquals(List.of(new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, List.of(Nlri.parse("2001:db8::/32")))),
                m.attributes());
        assertFalse(m.isEndOfRib());
        assertEquals(1, d.warnings().size());
        assertEquals("800403000064", hex(d.warnings().get(0).data()), "data is the erroneous attribute (RFC 4271 6.3)");
    }

    @Test
    void treatAsWithdrawMergesMpReachIntoMpUnreachOfTheSameFamily() {
        String attrs = ORIGIN + "800403 000064" + MP_REACH_V6 + "800f08 000201 2020010db9";
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(hex(body("", attrs, "")), FOUR);
        UpdateMessage m = (UpdateMessage) d.message();
        assertEquals(List.of(new UpdateMessage.Withdrawn(AfiSafi.IPV6_UNICAST, Nlri.parse("2001:db9::/32")),
                new UpdateMessage.Withdrawn(AfiSafi.IPV6_UNICAST, Nlri.parse("2001:db8::/32"))), m.withdrawnAll());
    }

    @Test
    void repeatedAttributeKeepsTheFirst() {
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(hex(body("", BASE + "400101 02", NLRI)), FOUR);
        UpdateMessage m = (UpdateMessage) d.message();
        assertEquals(new PathAttribute.Origin(0), m.attribute(PathAttribute.Origin.class).orElseThrow());
        assertEquals(List.of(Nlri.parse("203.0.113.0/24")), m.nlri());
    }

    @Test
    void discardedAttributeIsGoneAndRouteStays() {
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(hex(body("", BASE + "c00706 fde8c0000201", NLRI)), FOUR);
        UpdateMessage m = (UpdateMessage) d.message();
        assertTrue(m.attribute(PathAttribute.Aggregator.class).isEmpty());
        assertEquals(3, m.attributes().size());
        assertEquals("c00706fde8c0000201", hex(d.warnings().get(0).data()));
    }

    @Test
    void afiSafiDisableNamesTheFamily() {
        DecodeResult.Failed f = (DecodeResult.Failed) decode(hex(body("", ORIGIN + AS_PATH
                + "800e0e 000201 05 2001db8000 00 20 20010db8", "")), FOUR);
        assertEquals(AfiSafi.IPV6_UNICAST, UpdateErrors.family(f.error()));
    }

    @Test
    void missingAttributeDataIsItsTypeCode() {
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(hex(body("", ORIGIN + NEXT_HOP, NLRI)), FOUR);
        assertEquals("02", hex(d.warnings().get(0).data()));
    }

    @Test
    void malformedAs4PathIsDiscardedAndAsPathKept() {
        DecodeResult.Decoded d = (DecodeResult.Decoded) decode(
                hex(body("", ORIGIN + AS_PATH2 + NEXT_HOP + "c01102 0200", NLRI)), TWO);
        UpdateMessage m = (UpdateMessage) d.message();
        assertEquals(AsPath.sequence(65000), m.attribute(AsPath.class).orElseThrow());
        assertTrue(m.attribute(PathAttribute.As4Path.class).isEmpty());
    }

    /**
     * Gives a random UPDATE body of 4 or more bytes plausible Withdrawn Routes and Total Path
     * Attribute lengths, so that it gets past the first checks (also used by AttributeCacheTest).
     */
    static void plausibleLengths(byte[] b, java.util.Random rnd) {
        b[0] = 0;
        b[1] = (byte) rnd.nextInt(Math.max(1, b.length / 4));
        int a = 2 + (b[1] & 0xFF);
        if (a + 1 < b.length) {
            b[a] = 0;
            b[a + 1] = (byte) rnd.nextInt(Math.max(1, b.length - a - 2));
        }
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random rnd = new java.util.Random(7606);
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            rnd.nextBytes(b);
            if (b.length >= 4 && rnd.nextBoolean()) plausibleLengths(b, rnd);
            DecodeResult r = UpdateCodec.decodeBody(io.netty.buffer.Unpooled.wrappedBuffer(b), i % 2 == 0 ? FOUR : TWO);
            assertTrue(r instanceof DecodeResult.Decoded || r instanceof DecodeResult.Failed);
            // every error is found by a check, not by the IndexOutOfBounds safety net
            if (r instanceof DecodeResult.Failed f) {
                assertFalse(f.error().reason().startsWith("UPDATE not decodable"), () -> f.error() + " for " + hex(b));
            }
        }
    }

    /** Found by BgpMessageFuzzTest: treat-as-withdraw with MP_UNREACH of one family, MP_REACH of another. */
    @Test
    void treatAsWithdrawOfTwoFamiliesDecodesButIsNotEncodedAsOneUpdate() {
        // MP_UNREACH IPv6 multicast 2001:db8::/32, MP_REACH IPv6 unicast (link-local-less) with ORIGIN 5.
        String attrs = "800f08 0002 02 20 20010db8" + "400101 05" + "400200"
                + "800e1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db9";
        UpdateMessage got = decodeOk(hex(body("", attrs, "")), FOUR);
        assertEquals(java.util.Set.of(
                new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, List.of(Nlri.parse("2001:db9::/32"))),
                new PathAttribute.MpUnreach(AfiSafi.of(2, 2), List.of(Nlri.parse("2001:db8::/32")))),
                java.util.Set.copyOf(got.attributes()));
        assertEquals(2, got.attributes().size());
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BgpMessageCodec.encode(got, FOUR, out));
            assertTrue(e.getMessage().contains("one MP_UNREACH_NLRI"), e.getMessage());
            assertEquals(0, out.writerIndex());
        } finally {
            out.release();
        }
    }
}
