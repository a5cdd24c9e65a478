package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixAndPathTest {

    @Test
    void prefixText() {
        assertEquals("203.0.113.0/24", Prefix.parse("203.0.113.0/24").toString());
        assertEquals("0.0.0.0/0", Prefix.parse("0.0.0.0/0").toString());
        assertEquals("2001:db8::/32", Prefix.parse("2001:DB8:0::/32").toString());
        assertEquals("::/0", Prefix.parse("::/0").toString());
        assertEquals("2001:db8:0:1::/64", Prefix.parse("2001:db8:0:1::/64").toString());
        assertEquals("2001:db8::1:0:0:1/128", Prefix.parse("2001:db8:0:0:1:0:0:1/128").toString(), "RFC 5952 4.2.3: first longest run");
        assertEquals("::ffff:c000:201/128", Prefix.parse("::ffff:192.0.2.1/128").toString());
        assertEquals(AfiSafi.IPV6_UNICAST, Prefix.parse("2001:db8::/32").afiSafi());
        assertEquals(AfiSafi.IPV4_UNICAST, Prefix.parse("10.0.0.0/8").afiSafi());
    }

    @Test
    void hostBitsRejectedByParseAndMaskedByOf() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.1/8"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("2001:db8::1/64"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("2001:db8::1::/64"));
        assertEquals(Prefix.parse("10.0.0.0/8"), Prefix.ipv4(0x0A010203, 8));
        assertEquals(Prefix.parse("2001:db8::/32"), Prefix.fromBytes(true, UpdateTestSupport.hex("20010db8ffff"), 32));
        assertArrayEquals(UpdateTestSupport.hex("cb007100"), Prefix.parse("203.0.113.0/24").addressBytes());
    }

    @Test
    void ordering() {
        List<Prefix> sorted = new ArrayList<>(List.of(Prefix.parse("2001:db8::/32"), Prefix.parse("192.0.2.0/24"),
                Prefix.parse("10.0.0.0/16"), Prefix.parse("10.0.0.0/8"), Prefix.parse("255.0.0.0/8"), Prefix.parse("::/0")));
        sorted.sort(null);
        assertEquals("[10.0.0.0/8, 10.0.0.0/16, 192.0.2.0/24, 255.0.0.0/8, ::/0, 2001:db8::/32]", sorted.toString());
    }

    @Test
    void nlriPathIdRange() {
        assertThrows(IllegalArgumentException.class, () -> new Nlri(Prefix.parse("10.0.0.0/8"), 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new Nlri(Prefix.parse("10.0.0.0/8"), -2));
        assertEquals("10.0.0.0/8 path-id 4294967295", new Nlri(Prefix.parse("10.0.0.0/8"), 0xFFFFFFFFL).toString());
    }

    @Test
    void asPathLengthFirstAndPrepend() {
        AsPath p = new AsPath(List.of(AsPath.Segment.of(AsPath.AS_CONFED_SEQUENCE, 64512, 64513),
                AsPath.Segment.of(AsPath.AS_SEQUENCE, 65000, 70000), AsPath.Segment.of(AsPath.AS_SET, 1, 2, 3)));
        assertEquals(3, p.length(), "RFC 4271 9.1.2.2 a: set counts 1, confed 0");
        assertEquals(-1, p.firstAs());
        assertEquals(-1, p.originAs());
        assertEquals("(64512 64513) 65000 70000 {1,2,3}", p.toString());
        AsPath q = AsPath.sequence(65001).prepend(65000);
        assertEquals(AsPath.sequence(65000, 65001), q);
        assertEquals(65000, q.firstAs());
        assertEquals(65001, q.originAs());
        assertEquals(4, p.prepend(65000).segments().size(), "prepend to a confed-led path starts a new segment");
        long[] full = new long[255];
        java.util.Arrays.fill(full, 65000);
        assertEquals(2, AsPath.sequence(full).prepend(1).segments().size(), "a full segment is not overfilled");
        assertThrows(IllegalArgumentException.class, () -> AsPath.Segment.of(5, 1));
        assertThrows(IllegalArgumentException.class, () -> AsPath.Segment.of(AsPath.AS_SEQUENCE));
    }

    @Test
    void as4Reconstruction() {
        // RFC 6793 4.2.3: AS_PATH 1 2 23456 23456 3 + AS4_PATH 70000 80000 3 -> 1 2 70000 80000 3
        AsPath merged = AsPath.reconstruct(AsPath.sequence(1, 2, 23456, 23456, 3), AsPath.sequence(70000, 80000, 3));
        assertEquals(AsPath.sequence(1, 2, 70000, 80000, 3), merged);
        AsPath withSet = new AsPath(List.of(AsPath.Segment.of(AsPath.AS_SEQUENCE, 1, 23456),
                AsPath.Segment.of(AsPath.AS_SET, 23456, 5)));
        AsPath as4 = new AsPath(List.of(AsPath.Segment.of(AsPath.AS_SEQUENCE, 70000),
                AsPath.Segment.of(AsPath.AS_SET, 80000, 5)));
        assertEquals(new AsPath(List.of(AsPath.Segment.of(AsPath.AS_SEQUENCE, 1, 70000),
                AsPath.Segment.of(AsPath.AS_SET, 80000, 5))), AsPath.reconstruct(withSet, as4));
        assertEquals(AsPath.sequence(1), AsPath.reconstruct(AsPath.sequence(1), AsPath.sequence(2, 3)), "longer AS4_PATH ignored");
    }

    @Test
    void valueEqualityForInterning() {
        PathAttribute.Communities a = new PathAttribute.Communities(new int[] {1, 2});
        assertEquals(a, new PathAttribute.Communities(new int[] {1, 2}));
        assertEquals(a.hashCode(), new PathAttribute.Communities(new int[] {1, 2}).hashCode());
        assertNotEquals(a, new PathAttribute.Communities(new int[] {2, 1}));
        Attributes x = new Attributes(List.of(new PathAttribute.Med(5), PathAttribute.Origin.IGP_ORIGIN, a));
        Attributes y = new Attributes(List.of(a, PathAttribute.Origin.IGP_ORIGIN, new PathAttribute.Med(5)));
        assertEquals(x, y);
        assertEquals(x.hashCode(), y.hashCode());
        assertEquals(PathAttribute.ORIGIN, x.list().get(0).typeCode(), "sorted by type code");
        assertEquals(new PathAttribute.Med(7), x.with(new PathAttribute.Med(7)).get(PathAttribute.Med.class).orElseThrow());
        assertTrue(x.without(PathAttribute.COMMUNITIES).get(PathAttribute.Communities.class).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Attributes(List.of(new PathAttribute.Med(1), new PathAttribute.Med(2))));
        assertThrows(IllegalArgumentException.class, () -> new UpdateMessage(List.of(),
                List.of(new PathAttribute.Med(1), new PathAttribute.Med(2)), List.of()));
        int[] mutable = {1};
        PathAttribute.Communities c = new PathAttribute.Communities(mutable);
        mutable[0] = 2;
        assertEquals(1, c.get(0), "arrays are copied in");
    }
}
