package dev.ixora.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A path attribute of an UPDATE (RFC 4271 section 4.3 and 5). One small immutable record per
 * attribute, equal by value (arrays by content) so the RIB can intern attribute sets. Attributes
 * this codec does not know are kept byte for byte in {@link UnknownAttribute}, with their flags.
 * The codec writes flags from {@link #flags()}; the extended-length bit is chosen by the encoder.
 * Known optional transitive attributes keep the Partial bit they arrived with ({@code partial}):
 * RFC 4271 section 5 says it stays set when the attribute is passed on.
 */
public sealed interface PathAttribute
        permits PathAttribute.Origin, AsPath, PathAttribute.NextHop, PathAttribute.Med, PathAttribute.LocalPref,
        PathAttribute.AtomicAggregate, PathAttribute.Aggregator, PathAttribute.Communities,
        PathAttribute.OriginatorId, PathAttribute.ClusterList, PathAttribute.MpReach, PathAttribute.MpUnreach,
        PathAttribute.ExtendedCommunities, PathAttribute.As4Path, PathAttribute.As4Aggregator,
        PathAttribute.LargeCommunities, PathAttribute.Otc, PathAttribute.UnknownAttribute {

    // RFC 4271 section 4.3 attribute flags
    int OPTIONAL = 0x80;
    int TRANSITIVE = 0x40;
    int PARTIAL = 0x20;
    int EXTENDED_LENGTH = 0x10;

    // IANA BGP path attribute type codes
    int ORIGIN = 1;
    int AS_PATH = 2;
    int NEXT_HOP = 3;
    int MULTI_EXIT_DISC = 4;
    int LOCAL_PREF = 5;
    int ATOMIC_AGGREGATE = 6;
    int AGGREGATOR = 7;
    int COMMUNITIES = 8; // RFC 1997
    int ORIGINATOR_ID = 9; // RFC 4456
    int CLUSTER_LIST = 10; // RFC 4456
    int MP_REACH_NLRI = 14; // RFC 4760
    int MP_UNREACH_NLRI = 15; // RFC 4760
    int EXTENDED_COMMUNITIES = 16; // RFC 4360
    int AS4_PATH = 17; // RFC 6793
    int AS4_AGGREGATOR = 18; // RFC 6793
    int LARGE_COMMUNITY = 32; // RFC 8092
    int OTC = 35; // RFC 9234

    int typeCode();

    /** Flags to send (Optional/Transitive per the attribute's definition; never Extended Length). */
    default int flags() {
        return standardFlags(typeCode());
    }

    /** The Optional and Transitive bits each known attribute is defined with; -1 when unknown. */
    static int standardFlags(int type) {
        return switch (type) {
            case ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE -> TRANSITIVE; // well-known
            case MULTI_EXIT_DISC, ORIGINATOR_ID, CLUSTER_LIST, MP_REACH_NLRI, MP_UNREACH_NLRI -> OPTIONAL;
            case AGGREGATOR, COMMUNITIES, EXTENDED_COMMUNITIES, AS4_PATH, AS4_AGGREGATOR, LARGE_COMMUNITY, OTC ->
                    OPTIONAL | TRANSITIVE;
            default -> -1;
        };
    }

    /** RFC 4271 section 5.1.1. */
    record Origin(int value) implements PathAttribute {
        public static final int IGP = 0;
        public static final int EGP = 1;
        public static final int INCOMPLETE = 2;
        public static final Origin IGP_ORIGIN = new Origin(IGP);

        public Origin {
            if (value < 0 || value > 2) throw new IllegalArgumentException("undefined ORIGIN " + value);
        }

        public int typeCode() {
            return ORIGIN;
        }

        @Override
        public String toString() {
            return switch (value) {
                case IGP -> "IGP";
                case EGP -> "EGP";
                default -> "INCOMPLETE";
            };
        }
    }

    /** RFC 4271 section 5.1.3: an IPv4 address in an int. */
    record NextHop(int address) implements PathAttribute {
        public static NextHop parse(String address) {
            return new NextHop(IpText.parseV4Int(address));
        }

        public int typeCode() {
            return NEXT_HOP;
        }

        /** The address as 4 bytes, network order (a new array). */
        public byte[] bytes() {
            return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        }

        @Override
        public String toString() {
            return "NextHop[" + IpText.formatV4(address) + "]";
        }
    }

    /** RFC 4271 section 5.1.4: MULTI_EXIT_DISC, 32-bit unsigned. */
    record Med(long value) implements PathAttribute {
        public Med {
            checkU32(value, "MED");
        }

        public int typeCode() {
            return MULTI_EXIT_DISC;
        }
    }

    /** RFC 4271 section 5.1.5, 32-bit unsigned. */
    record LocalPref(long value) implements PathAttribute {
        public LocalPref {
            checkU32(value, "LOCAL_PREF");
        }

        public int typeCode() {
            return LOCAL_PREF;
        }
    }

    /** RFC 4271 section 5.1.6. */
    record AtomicAggregate() implements PathAttribute {
        public static final AtomicAggregate INSTANCE = new AtomicAggregate();

        public int typeCode() {
            return ATOMIC_AGGREGATE;
        }
    }

    /** RFC 4271 section 5.1.7 (4-octet ASN when the session is, RFC 6793). Address as an int. */
    record Aggregator(long asn, int address, boolean partial) implements PathAttribute {
        public Aggregator {
            checkU32(asn, "AGGREGATOR AS");
        }

        public Aggregator(long asn, int address) {
            this(asn, address, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        public int typeCode() {
            return AGGREGATOR;
        }

        @Override
        public String toString() {
            return "Aggregator[" + asn + " " + IpText.formatV4(address) + (partial ? " partial" : "") + "]";
        }
    }

    /** RFC 1997: each community a 32-bit value (ASN << 16 | value). */
    record Communities(int[] values, boolean partial) implements PathAttribute {
        public Communities {
            values = values.clone();
        }

        public Communities(int[] values) {
            this(values, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        public int size() {
            return values.length;
        }

        public int get(int i) {
            return values[i];
        }

        public boolean contains(int community) {
            for (int v : values) if (v == community) return true;
            return false;
        }

        public int typeCode() {
            return COMMUNITIES;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Communities c && c.partial == partial && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) + (partial ? 1 : 0);
        }

        @Override
        public String toString() {
            return Arrays.stream(values).mapToObj(v -> (v >>> 16) + ":" + (v & 0xFFFF))
                    .collect(Collectors.joining(" ", "Communities[", "]"));
        }
    }

    /** RFC 4456 section 8: the BGP Identifier of the route's originator. */
    record OriginatorId(int id) implements PathAttribute {
        public int typeCode() {
            return ORIGINATOR_ID;
        }

        @Override
        public String toString() {
            return "OriginatorId[" + IpText.formatV4(id) + "]";
        }
    }

    /** RFC 4456 section 8: CLUSTER_IDs, the most recent first. */
    record ClusterList(int[] ids) implements PathAttribute {
        public ClusterList {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        public int size() {
            return ids.length;
        }

        public int typeCode() {
            return CLUSTER_LIST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClusterList c && Arrays.equals(ids, c.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return Arrays.stream(ids).mapToObj(IpText::formatV4).collect(Collectors.joining(" ", "ClusterList[", "]"));
        }
    }

    /**
     * RFC 4760 section 3: reachable NLRI of one family with its next hop (4 or 16 bytes, or 32 for an
     * IPv6 global + link-local pair, RFC 2545 section 3). Only IP prefix families are parsed.
     */
    record MpReach(AfiSafi afiSafi, byte[] nextHop, List<Nlri> nlri) implements PathAttribute {
        public MpReach {
            if (afiSafi == null) throw new IllegalArgumentException("afiSafi is required");
            if (nextHop.length != 4 && nextHop.length != 16 && nextHop.length != 32) {
                throw new IllegalArgumentException("next hop of " + nextHop.length + " bytes");
            }
            nextHop = nextHop.clone();
            nlri = List.copyOf(nlri);
            checkFamily(afiSafi, nlri);
        }

        @Override
        public byte[] nextHop() {
            return nextHop.clone();
        }

        public int nextHopLength() {
            return nextHop.length;
        }

        public int typeCode() {
            return MP_REACH_NLRI;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MpReach m && afiSafi.equals(m.afiSafi) && Arrays.equals(nextHop, m.nextHop)
                    && nlri.equals(m.nlri);
        }

        @Override
        public int hashCode() {
            return (31 * afiSafi.hashCode() + Arrays.hashCode(nextHop)) * 31 + nlri.hashCode();
        }

        @Override
        public String toString() {
            String nh = nextHop.length == 32
                    ? IpText.format(Arrays.copyOf(nextHop, 16)) + "," + IpText.format(Arrays.copyOfRange(nextHop, 16, 32))
                    : IpText.format(nextHop);
            return "MpReach[" + afiSafi + " nh " + nh + " " + nlri + "]";
        }
    }

    /** RFC 4760 section 4. With no NLRI it is the End-of-RIB marker of its family (RFC 4724 section 2). */
    record MpUnreach(AfiSafi afiSafi, List<Nlri> withdrawn) implements PathAttribute {
        public MpUnreach {
            if (afiSafi == null) throw new IllegalArgumentException("afiSafi is required");
            withdrawn = List.copyOf(withdrawn);
            checkFamily(afiSafi, withdrawn);
        }

        public int typeCode() {
            return MP_UNREACH_NLRI;
        }
    }

    /** RFC 4360: each extended community a 64-bit value. */
    record ExtendedCommunities(long[] values, boolean partial) implements PathAttribute {
        public ExtendedCommunities {
            values = values.clone();
        }

        public ExtendedCommunities(long[] values) {
            this(values, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        public int size() {
            return values.length;
        }

        public long get(int i) {
            return values[i];
        }

        public int typeCode() {
            return EXTENDED_COMMUNITIES;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExtendedCommunities c && c.partial == partial && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) + (partial ? 1 : 0);
        }

        @Override
        public String toString() {
            return Arrays.stream(values).mapToObj(v -> String.format("%016x", v))
                    .collect(Collectors.joining(" ", "ExtendedCommunities[", "]"));
        }
    }

    /** RFC 6793 section 3: the 4-octet path sent beside a 2-octet AS_PATH; kept as received. */
    record As4Path(AsPath path, boolean partial) implements PathAttribute {
        public As4Path {
            if (path == null) throw new IllegalArgumentException("path is required");
        }

        public As4Path(AsPath path) {
            this(path, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        public int typeCode() {
            return AS4_PATH;
        }
    }

    /** RFC 6793 section 3: the 4-octet aggregator beside an AGGREGATOR carrying AS_TRANS. */
    record As4Aggregator(long asn, int address, boolean partial) implements PathAttribute {
        public As4Aggregator {
            checkU32(asn, "AS4_AGGREGATOR AS");
        }

        public As4Aggregator(long asn, int address) {
            this(asn, address, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        public int typeCode() {
            return AS4_AGGREGATOR;
        }

        @Override
        public String toString() {
            return "As4Aggregator[" + asn + " " + IpText.formatV4(address) + (partial ? " partial" : "") + "]";
        }
    }

    /** RFC 8092: triples (global admin, data 1, data 2) packed three ints each. */
    record LargeCommunities(int[] values, boolean partial) implements PathAttribute {
        public LargeCommunities {
            if (values.length % 3 != 0) throw new IllegalArgumentException("large communities come in triples");
            values = values.clone();
        }

        public LargeCommunities(int[] values) {
            this(values, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        public static LargeCommunities of(long... triples) {
            int[] v = new int[triples.length];
            for (int i = 0; i < v.length; i++) v[i] = (int) checkU32(triples[i], "large community part");
            return new LargeCommunities(v);
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        public int size() {
            return values.length / 3;
        }

        public int typeCode() {
            return LARGE_COMMUNITY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LargeCommunities c && c.partial == partial && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) + (partial ? 1 : 0);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("LargeCommunities[");
            for (int i = 0; i < values.length; i += 3) {
                if (i > 0) sb.append(' ');
                sb.append(Integer.toUnsignedString(values[i])).append(':').append(Integer.toUnsignedString(values[i + 1]))
                        .append(':').append(Integer.toUnsignedString(values[i + 2]));
            }
            return sb.append(']').toString();
        }
    }

    /** RFC 9234 section 5: Only to Customer, the ASN that set it. */
    record Otc(long asn, boolean partial) implements PathAttribute {
        public Otc {
            checkU32(asn, "OTC AS");
        }

        public Otc(long asn) {
            this(asn, false);
        }

        @Override
        public int flags() {
            return OPTIONAL | TRANSITIVE | (partial ? PARTIAL : 0);
        }

        public int typeCode() {
            return OTC;
        }
    }

    /**
     * An attribute this codec does not parse, kept byte for byte with its flags (Extended Length
     * cleared: the encoder decides it). Setting Partial when passing it on is the RIB's job
     * (RFC 4271 section 5), not the codec's.
     */
    record UnknownAttribute(int flags, int type, byte[] value) implements PathAttribute {
        public UnknownAttribute {
            if (flags < 0 || flags > 0xFF) throw new IllegalArgumentException("flags out of range");
            if (type < 0 || type > 0xFF) throw new IllegalArgumentException("type out of range");
            if (value.length > 0xFFFF) throw new IllegalArgumentException("value longer than 65535 bytes");
            flags &= ~EXTENDED_LENGTH;
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int typeCode() {
            return type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnknownAttribute u && u.flags == flags && u.type == type && Arrays.equals(value, u.value);
        }

        @Override
        public int hashCode() {
            return (31 * flags + type) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "UnknownAttribute[type " + type + " flags 0x" + Integer.toHexString(flags) + " "
                    + HexFormat.of().formatHex(value) + "]";
        }
    }

    private static long checkU32(long v, String what) {
        if (v < 0 || v > 0xFFFFFFFFL) throw new IllegalArgumentException(what + " out of range: " + v);
        return v;
    }

    private static void checkFamily(AfiSafi afiSafi, List<Nlri> nlri) {
        boolean v6 = afiSafi.afi() == AfiSafi.AFI_IPV6;
        if (afiSafi.afi() != AfiSafi.AFI_IPV4 && !v6) throw new IllegalArgumentException("not an IP family: " + afiSafi);
        for (Nlri n : nlri) {
            if (n.prefix().v6() != v6) throw new IllegalArgumentException(n + " is not " + afiSafi);
        }
    }
}
