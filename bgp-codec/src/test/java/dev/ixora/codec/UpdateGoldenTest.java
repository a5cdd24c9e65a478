package dev.ixora.codec;

import static dev.ixora.codec.UpdateMalformedCorpusTest.body;
import static dev.ixora.codec.UpdateTestSupport.decodeOk;
import static dev.ixora.codec.UpdateTestSupport.encode;
import static dev.ixora.codec.UpdateTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.PathAttribute.Aggregator;
import dev.ixora.codec.PathAttribute.As4Aggregator;
import dev.ixora.codec.PathAttribute.As4Path;
import dev.ixora.codec.PathAttribute.Communities;
import dev.ixora.codec.PathAttribute.MpReach;
import dev.ixora.codec.PathAttribute.MpUnreach;
import dev.ixora.codec.PathAttribute.NextHop;
import dev.ixora.codec.PathAttribute.Origin;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden byte vectors: decode -> expected value -> encode -> the same bytes, per attribute and per UPDATE shape. */
class UpdateGoldenTest {
    static final SessionCodecContext FOUR = SessionCodecContext.FOUR_OCTET;
    static final SessionCodecContext TWO = SessionCodecContext.INITIAL;
    static final byte[] V6_NH = hex("20010db8000000000000000000000001");
    static final byte[] V6_NH_LL = hex("20010db8000000000000000000000001fe800000000000000000000000000001");

    private static String norm(String hexText) {
        return hex(hex(hexText));
    }

    private static void golden(String hexBody, UpdateMessage expected, SessionCodecContext ctx) {
        byte[] body = hex(hexBody);
        UpdateMessage got = decodeOk(body, ctx);
        assertEquals(expected, got);
        assertEquals(hex(body), hex(encode(expected, ctx)));
    }

    static Stream<Arguments> attributes() {
        return Stream.of(
                Arguments.of("400101 02", new Origin(Origin.INCOMPLETE)),
                Arguments.of("400214 0202 0000fde8 00011170 0102 0000fde9 0000fdea",
                        new AsPath(List.of(AsPath.Segment.of(AsPath.AS_SEQUENCE, 65000, 70000),
                                AsPath.Segment.of(AsPath.AS_SET, 65001, 65002)))),
                Arguments.of("40020c 0301 0000fc00 0401 0000fc01",
                        new AsPath(List.of(AsPath.Segment.of(AsPath.AS_CONFED_SEQUENCE, 64512),
                                AsPath.Segment.of(AsPath.AS_CONFED_SET, 64513)))),
                Arguments.of("400304 c0000201", NextHop.parse("192.0.2.1")),
                Arguments.of("800404 ffffffff", new PathAttribute.Med(0xFFFFFFFFL)),
                Arguments.of("400504 00000064", new PathAttribute.LocalPref(100)),
                Arguments.of("400600", PathAttribute.AtomicAggregate.INSTANCE),
                Arguments.of("c00708 0000fde8 c0000201", new Aggregator(65000, 0xC0000201)),
                Arguments.of("c00808 fde80064 ffffff01", new Communities(new int[] {0xFDE80064, 0xFFFFFF01})),
                Arguments.of("800904 0a000001", new PathAttribute.OriginatorId(0x0A000001)),
                Arguments.of("800a08 0a000001 0a000002", new PathAttribute.ClusterList(new int[] {0x0A000001, 0x0A000002})),
                Arguments.of("800e0d 0001 02 04 c0000201 00 18cb0071",
                        new MpReach(AfiSafi.of(1, 2), hex("c0000201"), List.of(Nlri.parse("203.0.113.0/24")))),
                Arguments.of("800e1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8",
                        new MpReach(AfiSafi.IPV6_UNICAST, V6_NH, List.of(Nlri.parse("2001:db8::/32")))),
                Arguments.of("800e2a 0002 01 20 20010db8000000000000000000000001fe800000000000000000000000000001 00 20 20010db8",
                        new MpReach(AfiSafi.IPV6_UNICAST, V6_NH_LL, List.of(Nlri.parse("2001:db8::/32")))),
                Arguments.of("800f0b 0002 01 30 20010db80001 00", new MpUnreach(AfiSafi.IPV6_UNICAST,
                        List.of(Nlri.parse("2001:db8:1::/48"), Nlri.parse("::/0")))),
                Arguments.of("c01010 0002fde800000064 4300000000000001", new PathAttribute.ExtendedCommunities(
                        new long[] {0x0002FDE800000064L, 0x4300000000000001L})),
                Arguments.of("c0200c 0000fde8 00000001 ffffffff", PathAttribute.LargeCommunities.of(65000, 1, 0xFFFFFFFFL)),
                Arguments.of("c02304 0000fde8", new PathAttribute.Otc(65000)),
                // RFC 4271 section 5: a Partial bit received on an optional transitive attribute stays set
                Arguments.of("e00804 fde80064", new Communities(new int[] {0xFDE80064}, true)),
                Arguments.of("e00708 0000fde8 c0000201", new Aggregator(65000, 0xC0000201, true)),
                Arguments.of("e02304 0000fde8", new PathAttribute.Otc(65000, true)),
                Arguments.of("e06302 abcd", new PathAttribute.UnknownAttribute(0xE0, 99, hex("abcd"))),
                // RFC 4760 families this codec does not parse are kept whole (here VPNv4, SAFI 128)
                Arguments.of("800e05 0001 80 00 00", new PathAttribute.UnknownAttribute(0x80, 14, hex("0001800000"))));
    }

    /**
     * Each attribute alone in an UPDATE without NLRI (so no mandatory-attribute rule applies), or, for
     * MP_REACH_NLRI, after ORIGIN and AS_PATH.
     */
    @ParameterizedTest
    @MethodSource("attributes")
    void attribute(String attributeHex, PathAttribute expected) {
        if (expected instanceof MpReach) {
            golden(body("", "400101 00 400200" + attributeHex, ""), new UpdateMessage(List.of(),
                    List.of(Origin.IGP_ORIGIN, AsPath.EMPTY, expected), List.of()), FOUR);
        } else {
            golden(body("", attributeHex, ""), new UpdateMessage(List.of(), List.of(expected), List.of()), FOUR);
        }
    }

    @Test
    void twoOctetAttributes() {
        golden(body("", "400206 0202 fde8 fde9" + "c00706 fde8 c0000201", ""), new UpdateMessage(List.of(),
                List.of(AsPath.sequence(65000, 65001), new Aggregator(65000, 0xC0000201)), List.of()), TWO);
    }

    @Test
    void simpleIpv4Announcement() {
        golden("0000 001f"
                        + "400101 00"
                        + "40020a 02 02 0000fde8 0000fde9"
                        + "400304 c0000201"
                        + "800404 00000064"
                        + "18 cb0071",
                UpdateMessage.announce(List.of(Origin.IGP_ORIGIN, AsPath.sequence(65000, 65001),
                        NextHop.parse("192.0.2.1"), new PathAttribute.Med(100)),
                        List.of(Nlri.parse("203.0.113.0/24"))),
                FOUR);
    }

    @Test
    void ipv4WithdrawalOnly() {
        golden("0008 18cb0071 100a00 00 0000",
                new UpdateMessage(List.of(Nlri.parse("203.0.113.0/24"), Nlri.parse("10.0.0.0/16"), Nlri.parse("0.0.0.0/0")),
                        List.of(), List.of()),
                FOUR);
    }

    @Test
    void endOfRib() {
        UpdateMessage v4 = decodeOk(hex("00000000"), FOUR);
        assertEquals(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST), v4);
        assertEquals(AfiSafi.IPV4_UNICAST, v4.endOfRibFamily().orElseThrow());
        golden("0000 0006 800f03 000201", UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST), FOUR);
        assertEquals(AfiSafi.IPV6_UNICAST, UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST).endOfRibFamily().orElseThrow());
        assertFalse(decodeOk(hex("0000 0007 800f04 000201 00"), FOUR).isEndOfRib(), "MP_UNREACH of ::/0 is not EoR");
    }

    @Test
    void ipv6AnnouncementHelpers() {
        String attrs = "400101 00" + "400206 0201 0000fde8"
                + "800e2a 0002 01 20 20010db8000000000000000000000001fe800000000000000000000000000001 00 20 20010db8";
        UpdateMessage m = decodeOk(hex(body("", attrs, "")), FOUR);
        assertEquals(List.of(new UpdateMessage.Announced(AfiSafi.IPV6_UNICAST, Nlri.parse("2001:db8::/32"), V6_NH_LL)),
                m.announced());
        assertEquals(2, m.pathAttributes().size(), "MP_REACH is not a route attribute");
        assertEquals(norm(body("", attrs, "")), hex(encode(m, FOUR)));
    }

    @Test
    void addPathIpv4AndIpv6() {
        SessionCodecContext ctx = new SessionCodecContext(true, Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST),
                Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), false);
        String attrs = "400101 00" + "400206 0201 0000fde8" + "400304 c0000201"
                + "800e1e 0002 01 10 20010db8000000000000000000000001 00 00000007 20 20010db8";
        UpdateMessage expected = new UpdateMessage(List.of(new Nlri(Prefix.parse("10.0.0.0/8"), 4294967295L)),
                List.of(Origin.IGP_ORIGIN, AsPath.sequence(65000), NextHop.parse("192.0.2.1"),
                        new MpReach(AfiSafi.IPV6_UNICAST, V6_NH, List.of(new Nlri(Prefix.parse("2001:db8::/32"), 7)))),
                List.of(new Nlri(Prefix.parse("203.0.113.0/24"), 1)));
        golden(body("ffffffff 08 0a", attrs, "00000001 18 cb0071"), expected, ctx);
    }

    /** RFC 6793 section 4.2.3: AS_PATH 65000 23456 65001 + AS4_PATH 70000 65001 -> 65000 70000 65001. */
    @Test
    void as4PathOnTwoOctetSession() {
        String attrs = "400101 00" + "400208 0203 fde8 5ba0 fde9" + "400304 c0000201"
                + "c00706 5ba0 c0000201" + "c0110a 0202 00011170 0000fde9" + "c01208 00011170 c0000201";
        UpdateMessage m = decodeOk(hex(body("", attrs, "18cb0071")), TWO);
        assertEquals(AsPath.sequence(65000, 70000, 65001), m.attribute(AsPath.class).orElseThrow());
        assertEquals(new Aggregator(70000, 0xC0000201), m.attribute(Aggregator.class).orElseThrow());
        assertEquals(new As4Path(AsPath.sequence(70000, 65001)), m.attribute(As4Path.class).orElseThrow());
        assertEquals(norm(body("", attrs, "18cb0071")), hex(encode(m, TWO)), "re-encodes as received");

        // the same route from the 4-octet model, sent to a 2-octet speaker, gains AS4_PATH/AS4_AGGREGATOR
        UpdateMessage fourOctet = UpdateMessage.announce(List.of(Origin.IGP_ORIGIN, AsPath.sequence(65000, 70000, 65001),
                NextHop.parse("192.0.2.1"), new Aggregator(70000, 0xC0000201)), List.of(Nlri.parse("203.0.113.0/24")));
        String expected = "400101 00" + "400208 0203 fde8 5ba0 fde9" + "400304 c0000201"
                + "c00706 5ba0 c0000201" + "c0110e 0203 0000fde8 00011170 0000fde9" + "c01208 00011170 c0000201";
        assertEquals(norm(body("", expected, "18cb0071")), hex(encode(fourOctet, TWO)));
        UpdateMessage back = decodeOk(hex(body("", expected, "18cb0071")), TWO);
        assertEquals(fourOctet.pathAttributes().without(PathAttribute.AGGREGATOR).without(PathAttribute.AS_PATH)
                .with(back.attribute(AsPath.class).orElseThrow()), back.pathAttributes().without(PathAttribute.AGGREGATOR)
                .without(PathAttribute.AS4_PATH).without(PathAttribute.AS4_AGGREGATOR));
        assertEquals(AsPath.sequence(65000, 70000, 65001), back.attribute(AsPath.class).orElseThrow());
        assertEquals(new Aggregator(70000, 0xC0000201), back.attribute(Aggregator.class).orElseThrow());
    }

    /** RFC 6793 section 4.2.3: an AGGREGATOR that is not AS_TRANS means AS4_PATH and AS4_AGGREGATOR are ignored. */
    @Test
    void as4AttributesIgnoredWhenAggregatorIsNotAsTrans() {
        String attrs = "400206 0202 fde8 5ba0" + "c00706 fde8 c0000201" + "c01106 0201 00011170" + "c01208 00011170 c0000201";
        UpdateMessage m = decodeOk(hex(body("", attrs, "")), TWO);
        assertEquals(AsPath.sequence(65000, 23456), m.attribute(AsPath.class).orElseThrow());
        assertEquals(new Aggregator(65000, 0xC0000201), m.attribute(Aggregator.class).orElseThrow());
    }

    @Test
    void longerAs4PathIsIgnored() {
        String attrs = "400204 0201 5ba0" + "c0110a 0202 00011170 0000fde9";
        UpdateMessage m = decodeOk(hex(body("", attrs, "")), TWO);
        assertEquals(AsPath.sequence(23456), m.attribute(AsPath.class).orElseThrow());
    }

    @Test
    void extendedLengthWhenOver255Bytes() {
        int[] values = new int[70];
        for (int i = 0; i < values.length; i++) values[i] = 0xFDE80000 + i;
        UpdateMessage m = new UpdateMessage(List.of(), List.of(new Communities(values)), List.of());
        byte[] b = encode(m, FOUR);
        assertEquals("d0080118", hex(b).substring(8, 16), "flags 0xd0 = optional transitive extended, length 280");
        assertEquals(m, decodeOk(b, FOUR));
    }

    @Test
    void extendedLengthAcceptedOnShortValues() {
        UpdateMessage m = decodeOk(hex(body("", "50010001 00", "")), FOUR);
        assertEquals(List.of(Origin.IGP_ORIGIN), m.attributes());
        assertEquals(norm(body("", "400101 00", "")), hex(encode(m, FOUR)), "re-encoded with a 1-byte length");
    }

    @Test
    void hostBitsAreMasked() {
        UpdateMessage m = decodeOk(hex("0003 0f0a01 0000"), FOUR);
        assertEquals(List.of(Nlri.parse("10.0.0.0/15")), m.withdrawn());
        assertTrue(m.withdrawnAll().get(0).afiSafi().equals(AfiSafi.IPV4_UNICAST));
    }

    /** RFC 6793 section 4.1: AS4 attributes are not sent between 4-octet speakers, whatever the message holds. */
    @Test
    void as4AttributesNotSentOnFourOctetSession() {
        UpdateMessage m = new UpdateMessage(List.of(), List.of(AsPath.sequence(70000),
                new As4Path(AsPath.sequence(70000)), new As4Aggregator(70000, 1)), List.of());
        assertEquals(norm(body("", "400206 0201 00011170", "")), hex(encode(m, FOUR)));
    }

    /** A received AS4_PATH that no longer matches AS_PATH (the path was changed since) is regenerated. */
    @Test
    void staleAs4PathIsRegeneratedForTwoOctetSession() {
        UpdateMessage received = decodeOk(hex(body("", "400204 0201 5ba0" + "c01106 0201 00011170", "")), TWO);
        assertEquals(AsPath.sequence(70000), received.attribute(AsPath.class).orElseThrow());
        UpdateMessage prepended = new UpdateMessage(List.of(), List.of(received.attribute(AsPath.class).orElseThrow()
                .prepend(80000), received.attribute(As4Path.class).orElseThrow()), List.of());
        byte[] wire = encode(prepended, TWO);
        assertEquals(norm(body("", "400206 0202 5ba0 5ba0" + "c0110a 0202 00013880 00011170", "")), hex(wire));
        assertEquals(AsPath.sequence(80000, 70000), decodeOk(wire, TWO).attribute(AsPath.class).orElseThrow());
    }

    /** An AS4_AGGREGATOR beside a 2-octet AGGREGATOR would make the receiver ignore AS4_PATH: not sent. */
    @Test
    void inconsistentAs4AggregatorIsDropped() {
        UpdateMessage m = new UpdateMessage(List.of(), List.of(AsPath.sequence(70000), new Aggregator(65000, 1),
                new As4Aggregator(70000, 1)), List.of());
        byte[] wire = encode(m, TWO);
        assertEquals(norm(body("", "400204 0201 5ba0" + "c00706 fde8 00000001" + "c01106 0201 00011170", "")), hex(wire));
    }
}
