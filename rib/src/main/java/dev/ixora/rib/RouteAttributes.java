package dev.ixora.rib;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.PathAttribute;
import java.util.Arrays;
import java.util.Objects;

/**
 * One distinct set of path attributes as the RIB keeps it: the codec's attribute holder
 * ({@code source}, compared by value) plus the few values the decision process reads, extracted
 * once. Interned by the {@link Rib}: every route with the same attributes points at one instance.
 * Equality is the source's equality; the derived fields follow from it.
 */
public final class RouteAttributes {
    /** RFC 4271 section 5.1.5: LOCAL_PREF absent on eBGP-learned routes; a common default. */
    public static final long DEFAULT_LOCAL_PREF = 100;

    private final Attributes source;
    private final long localPref;
    private final int asPathLength;
    private final int origin;
    private final long med;
    private final long neighborAs;
    private final long originatorId;
    private final int clusterListLength;
    private final byte[] nextHop;
    private final int hash;

    /**
     * @param source the codec's attribute set (immutable, equals/hashCode by value)
     * @param localPref LOCAL_PREF or -1 when absent ({@link #DEFAULT_LOCAL_PREF} is used)
     * @param med MED or -1 when absent
     * @param originatorId ORIGINATOR_ID or -1 when absent
     * @param nextHop the NEXT_HOP (or MP_REACH next hop), 4 or 16 bytes (32 for global+link-local)
     */
    public RouteAttributes(Attributes source, long localPref, int asPathLength, int origin, long med, long neighborAs,
                           long originatorId, int clusterListLength, byte[] nextHop) {
        this.source = Objects.requireNonNull(source, "source");
        if (asPathLength < 0) throw new IllegalArgumentException("AS_PATH length " + asPathLength);
        if (origin < 0 || origin > 2) throw new IllegalArgumentException("ORIGIN " + origin);
        if (clusterListLength < 0) throw new IllegalArgumentException("CLUSTER_LIST length " + clusterListLength);
        this.localPref = localPref < 0 ? DEFAULT_LOCAL_PREF : localPref;
        this.asPathLength = asPathLength;
        this.origin = origin;
        this.med = med;
        this.neighborAs = neighborAs;
        this.originatorId = originatorId;
        this.clusterListLength = clusterListLength;
        this.nextHop = nextHop == null ? new byte[0] : nextHop.clone();
        this.hash = source.hashCode();
    }

    /**
     * Extracts the decision values from the codec's attributes. {@code nextHop} is the route's next
     * hop (NEXT_HOP for IPv4 NLRI, the MP_REACH next hop otherwise, RFC 4760 section 3); two routes
     * with equal attributes but different next hops are different attribute sets here.
     */
    public static RouteAttributes of(Attributes a, byte[] nextHop) {
        // one pass over the (sorted, one per type) list instead of a lookup per value
        AsPath path = AsPath.EMPTY;
        long localPref = -1;
        int origin = PathAttribute.Origin.INCOMPLETE;
        long med = -1;
        long originatorId = -1;
        int clusterListLength = 0;
        for (PathAttribute x : a.list()) {
            if (x instanceof PathAttribute.Origin o) origin = o.value();
            else if (x instanceof AsPath p) path = p;
            else if (x instanceof PathAttribute.Med m) med = m.value();
            else if (x instanceof PathAttribute.LocalPref l) localPref = l.value();
            else if (x instanceof PathAttribute.OriginatorId o) originatorId = Integer.toUnsignedLong(o.id());
            else if (x instanceof PathAttribute.ClusterList c) clusterListLength = c.size();
        }
        return new RouteAttributes(a, localPref, path.length(), origin, med, neighborAs(path), originatorId,
                clusterListLength, nextHop);
    }

    /**
     * What {@link RibEvent#fromUpdate} keeps with a decoded attribute set ({@link Attributes#memo}):
     * its RouteAttributes for IPv4 NLRI (next hop from NEXT_HOP) and for the last MP_REACH next hop
     * (either may be null). Immutable; replaced whole.
     */
    record Memo(Attributes source, RouteAttributes ipv4, RouteAttributes mp) {}

    /**
     * RFC 4271 9.1.2.2 c): the neighbour AS is the first AS of the AS_PATH; confederation segments
     * are skipped (RFC 5065 section 5.3), and an empty path (our own AS) is 0.
     */
    static long neighborAs(AsPath path) {
        for (AsPath.Segment s : path.segments()) {
            if (s.isConfederation()) continue;
            return s.type() == AsPath.AS_SEQUENCE ? s.as(0) : 0;
        }
        return 0;
    }

    /** The codec's attribute set, as given. */
    public Attributes source() { return source; }
    public long localPref() { return localPref; }
    public int asPathLength() { return asPathLength; }
    public int origin() { return origin; }
    public long med() { return med; }
    public long neighborAs() { return neighborAs; }
    public long originatorId() { return originatorId; }
    public int clusterListLength() { return clusterListLength; }
    public byte[] nextHop() { return nextHop.clone(); }

    byte[] nextHopUnsafe() { return nextHop; }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RouteAttributes r && r.hash == hash && r.source.equals(source)
                && Arrays.equals(r.nextHop, nextHop);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
