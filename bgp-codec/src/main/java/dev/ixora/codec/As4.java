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
     * RFC 6793 section 4.2.2: what to send a 2-octet speaker: AS4_PATH when the path has an AS over
     * 65535 (without confederation segments), AS4_AGGREGATOR when the aggregator's AS is; attributes
     * already present are sent as given.
     */
    static List<PathAttribute> split(List<PathAttribute> in) {
        AsPath asPath = null;
        PathAttribute.Aggregator aggregator = null;
        boolean hasAs4Path = false;
        boolean hasAs4Aggregator = false;
        for (PathAttribute a : in) {
            if (a instanceof AsPath p) asPath = p;
            else if (a instanceof PathAttribute.Aggregator g) aggregator = g;
            else if (a instanceof PathAttribute.As4Path) hasAs4Path = true;
            else if (a instanceof PathAttribute.As4Aggregator) hasAs4Aggregator = true;
        }
        boolean addPath = asPath != null && !hasAs4Path && asPath.needsFourOctets();
        boolean addAggregator = aggregator != null && !hasAs4Aggregator && aggregator.asn() > 0xFFFF;
        if (!addPath && !addAggregator) return in;
        List<PathAttribute> out = new ArrayList<>(in);
        if (addPath) out.add(new PathAttribute.As4Path(asPath.withoutConfederations()));
        if (addAggregator) out.add(new PathAttribute.As4Aggregator(aggregator.asn(), aggregator.address()));
        out.sort(Comparator.comparingInt(PathAttribute::typeCode));
        return out;
    }
}
