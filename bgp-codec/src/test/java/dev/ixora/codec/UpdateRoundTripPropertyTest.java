package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random UPDATEs survive encode -> decode unchanged; arbitrary bytes never make the decoder throw. */
class UpdateRoundTripPropertyTest {
    static final Set<AfiSafi> FAMILIES = Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.of(1, 2));

    @Property(tries = 400)
    void fourOctetRoundTrip(@ForAll("seeds") long seed, @ForAll boolean addPath) {
        SessionCodecContext ctx = addPath ? new SessionCodecContext(true, FAMILIES, FAMILIES, false)
                : SessionCodecContext.FOUR_OCTET;
        UpdateMessage msg = new Gen(new Random(seed), addPath, true).update();
        UpdateMessage back = UpdateTestSupport.decodeOk(UpdateTestSupport.encode(msg, ctx), ctx);
        // RFC 6793 section 4.1: AS4_PATH / AS4_AGGREGATOR are not sent between 4-octet speakers
        UpdateMessage expected = withoutAs4(msg);
        assertEquals(expected, back);
        assertEquals(expected.hashCode(), back.hashCode());
        assertEquals(expected.pathAttributes(), back.pathAttributes());
    }

    /**
     * The 4-octet model sent to a 2-octet speaker and read back (RFC 6793 sections 4.2.2 and 4.2.3)
     * gives the same AS_PATH and AGGREGATOR; the AS4 attributes the encoder added are extra.
     */
    @Property(tries = 300)
    void twoOctetRoundTripThroughAs4Path(@ForAll("seeds") long seed) {
        SessionCodecContext ctx = SessionCodecContext.INITIAL;
        UpdateMessage msg = new Gen(new Random(seed), false, false).update();
        UpdateMessage back = UpdateTestSupport.decodeOk(UpdateTestSupport.encode(msg, ctx), ctx);
        assertEquals(msg, withoutAs4(back));
        // and what a 2-octet peer sent us goes back out to a 2-octet peer byte for byte
        byte[] wire = UpdateTestSupport.encode(msg, ctx);
        assertEquals(UpdateTestSupport.hex(wire), UpdateTestSupport.hex(UpdateTestSupport.encode(
                UpdateTestSupport.decodeOk(wire, ctx), ctx)));
    }

    static UpdateMessage withoutAs4(UpdateMessage m) {
        return new UpdateMessage(m.withdrawn(), m.attributes().stream()
                .filter(a -> !(a instanceof PathAttribute.As4Path) && !(a instanceof PathAttribute.As4Aggregator))
                .toList(), m.nlri());
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverThrow(@ForAll byte[] body, @ForAll boolean four) {
        DecodeResult r = UpdateTestSupport.decode(body, four ? SessionCodecContext.FOUR_OCTET : SessionCodecContext.INITIAL);
        if (r instanceof DecodeResult.Failed f) {
            assertTrue(f.error().action() == ErrorAction.SESSION_RESET || f.error().action() == ErrorAction.AFI_SAFI_DISABLE);
        }
    }

    @Property(tries = 1000)
    void prefixTextRoundTrip(@ForAll("seeds") long seed) {
        Prefix p = new Gen(new Random(seed), false, true).prefix(new Random(seed).nextBoolean());
        assertEquals(p, Prefix.parse(p.toString()));
        assertEquals(0, p.compareTo(Prefix.parse(p.toString())));
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** Builds valid random UPDATEs from a seed (jqwik shrinks the seed; the message is reproducible). */
    static final class Gen {
        private final Random r;
        private final boolean addPath;
        private final boolean fourOctetOnly;

        Gen(Random r, boolean addPath, boolean fourOctetOnly) {
            this.r = r;
            this.addPath = addPath;
            this.fourOctetOnly = fourOctetOnly;
        }

        Prefix prefix(boolean v6) {
            int len = r.nextInt(v6 ? 129 : 33);
            return Prefix.of(v6, r.nextLong(), v6 ? r.nextLong() : r.nextLong() & 0xFFFFFFFFL, len);
        }

        List<Nlri> nlri(boolean v6, int max) {
            List<Nlri> out = new ArrayList<>();
            int n = r.nextInt(max + 1);
            for (int i = 0; i < n; i++) out.add(new Nlri(prefix(v6), addPath ? r.nextLong() & 0xFFFFFFFFL : Nlri.NO_PATH_ID));
            return out;
        }

        long asn() {
            return switch (r.nextInt(4)) {
                case 0 -> r.nextInt(65536);
                case 1 -> 64512 + r.nextInt(1024);
                case 2 -> 65536 + r.nextInt(1 << 20);
                default -> r.nextLong() & 0xFFFFFFFFL;
            };
        }

        AsPath asPath() {
            List<AsPath.Segment> segs = new ArrayList<>();
            // confederation segments only lead the path (RFC 5065 section 5), which the AS4 merge relies on
            if (r.nextInt(5) == 0) segs.add(segment(r.nextBoolean() ? AsPath.AS_CONFED_SEQUENCE : AsPath.AS_CONFED_SET));
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) segs.add(segment(r.nextInt(4) == 0 ? AsPath.AS_SET : AsPath.AS_SEQUENCE));
            return new AsPath(segs);
        }

        private AsPath.Segment segment(int type) {
            int n = 1 + (r.nextInt(10) == 0 ? r.nextInt(255) : r.nextInt(6));
            long[] a = new long[n];
            // AS4_PATH carries no confederation segments (RFC 6793 section 3), so a 2-octet speaker can only
            // ever see member ASNs that fit in 2 octets: a protocol limit, not a codec one
            boolean twoOctetOnly = !fourOctetOnly && (type == AsPath.AS_CONFED_SEQUENCE || type == AsPath.AS_CONFED_SET);
            for (int i = 0; i < n; i++) a[i] = twoOctetOnly ? 64512 + r.nextInt(1024) : asn();
            return AsPath.Segment.of(type, a);
        }

        UpdateMessage update() {
            List<Nlri> withdrawn = nlri(false, 3);
            List<Nlri> nlri = nlri(false, 4);
            List<PathAttribute> attrs = new ArrayList<>();
            boolean announces = !nlri.isEmpty() || r.nextBoolean();
            if (announces || r.nextBoolean()) {
                attrs.add(new PathAttribute.Origin(r.nextInt(3)));
                attrs.add(asPath());
                if (!nlri.isEmpty() || r.nextBoolean()) attrs.add(new PathAttribute.NextHop(r.nextInt()));
                optional(attrs);
            }
            if (announces && nlri.isEmpty() || r.nextInt(3) == 0) {
                boolean v6 = r.nextBoolean();
                byte[] nh = new byte[v6 ? (r.nextBoolean() ? 16 : 32) : 4];
                r.nextBytes(nh);
                AfiSafi family = v6 ? AfiSafi.IPV6_UNICAST : AfiSafi.of(1, 2);
                if (attrs.isEmpty()) { // MP_REACH needs ORIGIN and AS_PATH
                    attrs.add(PathAttribute.Origin.IGP_ORIGIN);
                    attrs.add(AsPath.EMPTY);
                }
                attrs.add(new PathAttribute.MpReach(family, nh, nlri(v6, 5)));
            }
            if (r.nextInt(3) == 0) {
                boolean v6 = r.nextBoolean();
                attrs.add(new PathAttribute.MpUnreach(v6 ? AfiSafi.IPV6_UNICAST : AfiSafi.of(1, 2), nlri(v6, 4)));
            }
            return new UpdateMessage(withdrawn, attrs, nlri);
        }

        private void optional(List<PathAttribute> attrs) {
            if (r.nextBoolean()) attrs.add(new PathAttribute.Med(r.nextLong() & 0xFFFFFFFFL));
            if (r.nextBoolean()) attrs.add(new PathAttribute.LocalPref(r.nextLong() & 0xFFFFFFFFL));
            if (r.nextInt(4) == 0) attrs.add(PathAttribute.AtomicAggregate.INSTANCE);
            if (r.nextInt(3) == 0) attrs.add(new PathAttribute.Aggregator(asn(), r.nextInt()));
            if (r.nextBoolean()) attrs.add(new PathAttribute.Communities(ints(1 + r.nextInt(r.nextInt(5) == 0 ? 100 : 5)), r.nextInt(5) == 0));
            if (r.nextInt(4) == 0) attrs.add(new PathAttribute.OriginatorId(r.nextInt()));
            if (r.nextInt(4) == 0) attrs.add(new PathAttribute.ClusterList(ints(1 + r.nextInt(4))));
            if (r.nextInt(3) == 0) {
                long[] v = new long[1 + r.nextInt(40)];
                for (int i = 0; i < v.length; i++) v[i] = r.nextLong();
                attrs.add(new PathAttribute.ExtendedCommunities(v));
            }
            if (r.nextInt(3) == 0) attrs.add(new PathAttribute.LargeCommunities(ints(3 * (1 + r.nextInt(30))), r.nextInt(5) == 0));
            if (r.nextInt(4) == 0) attrs.add(new PathAttribute.Otc(asn()));
            if (fourOctetOnly && r.nextInt(6) == 0) attrs.add(new PathAttribute.As4Path(asPath().withoutConfederations()));
            if (fourOctetOnly && r.nextInt(6) == 0) attrs.add(new PathAttribute.As4Aggregator(asn(), r.nextInt()));
            if (r.nextInt(3) == 0) {
                int type;
                do {
                    type = 1 + r.nextInt(255);
                } while (PathAttribute.standardFlags(type) >= 0);
                byte[] v = new byte[r.nextInt(r.nextBoolean() ? 20 : 400)];
                r.nextBytes(v);
                int flags = PathAttribute.OPTIONAL | (r.nextBoolean() ? PathAttribute.TRANSITIVE : 0)
                        | (r.nextBoolean() ? PathAttribute.PARTIAL : 0);
                attrs.add(new PathAttribute.UnknownAttribute(flags, type, v));
            }
        }

        private int[] ints(int n) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt();
            return v;
        }
    }
}
