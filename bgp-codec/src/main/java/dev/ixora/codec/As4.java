package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** RFC 6793 between a 2-octet session and the 4-octet model: merge on receipt, split on sending. */
final class As4 {
    private As4() {}

    /**
     * RFC 6793 section 4.2.3: rebuild AS_PATH and AGGREGATOR from AS4_PATH / AS4_AGGREGATOR. When
     * AGGREGATOR carries an AS other than AS_TRANS, both AS4 attributes are ignored. The AS4
     * attributes themselves stay in the list, as received.
     */
    static List<PathAttribute> merge(List<PathAttribute> in) {
        Found f = Found.in(in);
        PathAttribute.Aggregator aggregator = f.aggregator();
        PathAttribute.As4Path as4Path = f.as4Path();
        PathAttribute.As4Aggregator as4Aggregator = f.as4Aggregator();
        if (as4Path == null && as4Aggregator == null) return in;
        if (aggregator != null && as4Aggregator != null && aggregator.asn() != AsPath.AS_TRANS) return in;
        List<PathAttribute> out = new ArrayList<>(in.size());
        for (PathAttribute a : in) {
            if (a instanceof AsPath p && as4Path != null) {
                out.add(AsPath.reconstruct(p, as4Path.path()));
            } else if (a instanceof PathAttribute.Aggregator g && as4Aggregator != null) {
                out.add(new PathAttribute.Aggregator(as4Aggregator.asn(), as4Aggregator.address(), g.partial()));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The attributes as a session of the given kind gets them. Between 4-octet speakers AS4_PATH and
     * AS4_AGGREGATOR are not sent (RFC 6793 section 4.1); to a 2-octet speaker see {@link #split}.
     */
    static List<PathAttribute> forSession(List<PathAttribute> in, boolean fourOctet) {
        if (!fourOctet) return split(in);
        boolean any = false;
        for (PathAttribute a : in) any |= a instanceof PathAttribute.As4Path || a instanceof PathAttribute.As4Aggregator;
        if (!any) return in;
        return in.stream()
                .filter(a -> !(a instanceof PathAttribute.As4Path) && !(a instanceof PathAttribute.As4Aggregator))
                .toList();
    }

    /**
     * RFC 6793 section 4.2.2: what to send a 2-octet speaker. AS4_PATH when the path has an AS over
     * 65535 (without confederation segments), AS4_AGGREGATOR when the aggregator's AS is. AS4
     * attributes already in the message (as received from a 2-octet peer) are sent unchanged when
     * the receiver's section 4.2.3 merge still yields this message's AS_PATH and AGGREGATOR; a stale
     * one (the path was changed since) is replaced, an unneeded AS4_AGGREGATOR dropped (it would
     * make the receiver ignore AS4_PATH).
     */
    static List<PathAttribute> split(List<PathAttribute> in) {
        Found f = Found.in(in);
        AsPath asPath = f.asPath();
        PathAttribute.Aggregator aggregator = f.aggregator();
        PathAttribute.As4Path as4Path = f.as4Path();
        PathAttribute.As4Aggregator as4Aggregator = f.as4Aggregator();
        PathAttribute.As4Path wantPath = null;
        if (asPath != null && as4Path != null && AsPath.reconstruct(twoOctet(asPath), as4Path.path()).equals(asPath)) {
            wantPath = as4Path;
        } else if (asPath != null && asPath.needsFourOctets()) {
            wantPath = new PathAttribute.As4Path(asPath.withoutConfederations());
        }
        PathAttribute.As4Aggregator wantAggregator = null;
        if (aggregator != null && aggregator.asn() > 0xFFFF) {
            wantAggregator = as4Aggregator != null && as4Aggregator.asn() == aggregator.asn()
                    && as4Aggregator.address() == aggregator.address()
                    ? as4Aggregator : new PathAttribute.As4Aggregator(aggregator.asn(), aggregator.address());
        }
        if (wantPath == as4Path && wantAggregator == as4Aggregator) return in;
        List<PathAttribute> out = new ArrayList<>(in.size() + 2);
        for (PathAttribute a : in) {
            if (!(a instanceof PathAttribute.As4Path) && !(a instanceof PathAttribute.As4Aggregator)) out.add(a);
        }
        if (wantPath != null) out.add(wantPath);
        if (wantAggregator != null) out.add(wantAggregator);
        out.sort(Comparator.comparingInt(PathAttribute::typeCode));
        return out;
    }

    /** The AS_PATH a 2-octet speaker sees: every AS over 65535 as AS_TRANS (RFC 6793 section 4.2.2). */
    private static AsPath twoOctet(AsPath p) {
        if (!p.needsFourOctets()) return p;
        List<AsPath.Segment> out = new ArrayList<>(p.segments().size());
        for (AsPath.Segment s : p.segments()) {
            long[] a = s.longs();
            for (int i = 0; i < a.length; i++) if (a[i] > 0xFFFF) a[i] = AsPath.AS_TRANS;
            out.add(AsPath.Segment.of(s.type(), a));
        }
        return new AsPath(out);
    }

    /** The four attributes RFC 6793 relates, as found in one attribute list (null when absent). */
    private record Found(AsPath asPath, PathAttribute.Aggregator aggregator, PathAttribute.As4Path as4Path,
                         PathAttribute.As4Aggregator as4Aggregator) {
        static Found in(List<PathAttribute> in) {
            AsPath asPath = null;
            PathAttribute.Aggregator aggregator = null;
            PathAttribute.As4Path as4Path = null;
            PathAttribute.As4Aggregator as4Aggregator = null;
            for (PathAttribute a : in) {
                if (a instanceof AsPath p) asPath = p;
                else if (a instanceof PathAttribute.Aggregator g) aggregator = g;
                else if (a instanceof PathAttribute.As4Path p) as4Path = p;
                else if (a instanceof PathAttribute.As4Aggregator g) as4Aggregator = g;
            }
            return new Found(asPath, aggregator, as4Path, as4Aggregator);
        }
    }
}
