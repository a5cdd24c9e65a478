package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * AS_PATH (RFC 4271 section 5.1.2): segments of AS numbers, always held as 4-octet values; the
 * codec maps them to 2 octets and AS4_PATH on sessions without RFC 6793.
 */
public record AsPath(List<Segment> segments) implements PathAttribute {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3; // RFC 5065 section 3
    public static final int AS_CONFED_SET = 4;
    public static final int AS_TRANS = 23456; // RFC 6793 section 2

    public static final AsPath EMPTY = new AsPath(List.of());

    public AsPath {
        segments = List.copyOf(segments);
    }

    /** A path of one AS_SEQUENCE (split in 255s); empty for no ASNs. */
    public static AsPath sequence(long... asns) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < asns.length; i += 255) {
            out.add(Segment.of(AS_SEQUENCE, Arrays.copyOfRange(asns, i, Math.min(asns.length, i + 255))));
        }
        return new AsPath(out);
    }

    public int typeCode() {
        return AS_PATH;
    }

    /** RFC 4271 section 9.1.2.2 a: an AS_SET counts 1, confederation segments (RFC 5065 5.3) count 0. */
    public int length() {
        int n = 0;
        for (Segment s : segments) {
            n += switch (s.type()) {
                case AS_SEQUENCE -> s.size();
                case AS_SET -> 1;
                default -> 0;
            };
        }
        return n;
    }

    /** The leftmost AS when the path starts with an AS_SEQUENCE, else -1 (RFC 4271 section 6.3 check). */
    public long firstAs() {
        return !segments.isEmpty() && segments.get(0).type() == AS_SEQUENCE ? segments.get(0).as(0) : -1;
    }

    /** The rightmost AS when the path ends with an AS_SEQUENCE (the origin AS), else -1. */
    public long originAs() {
        if (segments.isEmpty()) return -1;
        Segment last = segments.get(segments.size() - 1);
        return last.type() == AS_SEQUENCE ? last.as(last.size() - 1) : -1;
    }

    public boolean contains(long asn) {
        for (Segment s : segments) if (s.contains(asn)) return true;
        return false;
    }

    /** RFC 4271 section 5.1.2 b: prepend to the leading AS_SEQUENCE, or start a new one. */
    public AsPath prepend(long asn) {
        List<Segment> out = new ArrayList<>(segments);
        if (!out.isEmpty() && out.get(0).type() == AS_SEQUENCE && out.get(0).size() < 255) {
            Segment first = out.get(0);
            long[] asns = new long[first.size() + 1];
            asns[0] = asn;
            for (int i = 0; i < first.size(); i++) asns[i + 1] = first.as(i);
            out.set(0, Segment.of(AS_SEQUENCE, asns));
        } else {
            out.add(0, Segment.of(AS_SEQUENCE, asn));
        }
        return new AsPath(out);
    }

    /** True when any AS does not fit in 2 octets (then AS4_PATH is needed, RFC 6793 section 4.2.2). */
    public boolean needsFourOctets() {
        for (Segment s : segments) {
            for (int i = 0; i < s.size(); i++) if (s.as(i) > 0xFFFF) return true;
        }
        return false;
    }

    /** The path without confederation segments (what AS4_PATH carries, RFC 6793 section 3). */
    public AsPath withoutConfederations() {
        return new AsPath(segments.stream().filter(s -> !s.isConfederation()).toList());
    }

    /**
     * RFC 6793 section 4.2.3: rebuild the path from a 2-octet AS_PATH and the AS4_PATH. If the AS_PATH
     * counts fewer ASes than AS4_PATH, AS4_PATH is ignored; otherwise the leading ASes of AS_PATH
     * that AS4_PATH does not cover are kept (with any leading confederation segments) and AS4_PATH
     * follows. A sequence cut in the middle joins the first AS4_PATH sequence.
     */
    public static AsPath reconstruct(AsPath asPath, AsPath as4Path) {
        int need = asPath.length() - as4Path.length();
        if (need < 0) return asPath;
        List<Segment> out = new ArrayList<>();
        Segment cut = null;
        for (Segment s : asPath.segments) {
            if (s.isConfederation()) {
                out.add(s);
            } else if (need == 0) {
                break;
            } else if (s.type() == AS_SET) {
                out.add(s);
                need--;
            } else if (s.size() <= need) {
                out.add(s);
                need -= s.size();
            } else {
                cut = Segment.of(AS_SEQUENCE, Arrays.copyOf(s.longs(), need));
                need = 0;
            }
        }
        List<Segment> tail = new ArrayList<>(as4Path.segments);
        if (cut != null && !tail.isEmpty() && tail.get(0).type() == AS_SEQUENCE
                && cut.size() + tail.get(0).size() <= 255) {
            long[] a = cut.longs();
            long[] b = tail.get(0).longs();
            long[] joined = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            tail.set(0, Segment.of(AS_SEQUENCE, joined));
        } else if (cut != null) {
            out.add(cut);
        }
        out.addAll(tail);
        return new AsPath(out);
    }

    /** bgpdump's notation: sequences space separated, {set}, (confed sequence), [confed set]. */
    @Override
    public String toString() {
        return segments.stream().map(Segment::toString).collect(Collectors.joining(" "));
    }

    /** One segment: its type (1-4) and 1 to 255 ASNs stored as unsigned ints. */
    public record Segment(int type, int[] asns) {
        public Segment {
            if (type < AS_SET || type > AS_CONFED_SET) throw new IllegalArgumentException("segment type " + type);
            if (asns.length == 0 || asns.length > 255) {
                throw new IllegalArgumentException("segment of " + asns.length + " ASNs (1 to 255)");
            }
            asns = asns.clone();
        }

        public static Segment of(int type, long... asns) {
            int[] a = new int[asns.length];
            for (int i = 0; i < a.length; i++) {
                if (asns[i] < 0 || asns[i] > 0xFFFFFFFFL) throw new IllegalArgumentException("ASN " + asns[i]);
                a[i] = (int) asns[i];
            }
            return new Segment(type, a);
        }

        @Override
        public int[] asns() {
            return asns.clone();
        }

        public long[] longs() {
            long[] out = new long[asns.length];
            for (int i = 0; i < out.length; i++) out[i] = Integer.toUnsignedLong(asns[i]);
            return out;
        }

        public int size() {
            return asns.length;
        }

        public long as(int i) {
            return Integer.toUnsignedLong(asns[i]);
        }

        public boolean contains(long asn) {
            for (int a : asns) if (Integer.toUnsignedLong(a) == asn) return true;
            return false;
        }

        public boolean isConfederation() {
            return type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.type == type && Arrays.equals(s.asns, asns);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(asns);
        }

        @Override
        public String toString() {
            String sep = type == AS_SEQUENCE || type == AS_CONFED_SEQUENCE ? " " : ",";
            String body = Arrays.stream(asns).mapToObj(Integer::toUnsignedString).collect(Collectors.joining(sep));
            return switch (type) {
                case AS_SET -> "{" + body + "}";
                case AS_CONFED_SEQUENCE -> "(" + body + ")";
                case AS_CONFED_SET -> "[" + body + "]";
                default -> body;
            };
        }
    }
}
