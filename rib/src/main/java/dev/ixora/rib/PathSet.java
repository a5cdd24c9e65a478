package dev.ixora.rib;

import java.util.Arrays;

/**
 * All paths of one prefix (every peer, every ADD-PATH id, filtered ones too), as two small parallel
 * arrays instead of an object per route. Kept sorted by (peer id, path id) so scans run in a
 * canonical order whatever order routes arrived in.
 *
 * <p>Per path, {@code meta[2i]} packs peer id (16 bits) | flags (15 bits) | path id + 1 (33 bits),
 * and {@code meta[2i+1]} packs the stamp: arrival number (40 bits) | interior cost (24 bits,
 * saturating). The arrival number changes whenever the path's attributes change, so it doubles as
 * the path's version for change detection.
 */
final class PathSet {
    static final int STALE = 1;          // RFC 4724 section 4.2: kept across a graceful restart
    static final int FILTERED = 2;       // rejected by import policy; the reason id is in REASON bits
    static final int UNRESOLVED = 4;     // RFC 4271 9.1.2: next hop unresolvable, ineligible
    static final int REASON_SHIFT = 3;   // 12 bits of filter reason id
    static final int REASON_MASK = 0xFFF;
    static final long MAX_COST = 0xFFFFFF;

    long[] meta;
    RouteAttributes[] attrs;
    int size;
    /** Stamp of the current Loc-RIB best path, 0 when none. */
    long bestStamp;

    PathSet() {
        meta = new long[2];
        attrs = new RouteAttributes[1];
    }

    static long key(int peer, long pathId) {
        return ((long) peer << 48) | (pathId + 1);
    }

    int peer(int i) { return (int) (meta[2 * i] >>> 48); }
    int flags(int i) { return (int) (meta[2 * i] >>> 33) & 0x7FFF; }
    long pathId(int i) { return (meta[2 * i] & 0x1_FFFF_FFFFL) - 1; }
    long stamp(int i) { return meta[2 * i + 1]; }
    long arrival(int i) { return meta[2 * i + 1] >>> 24; }
    long igpCost(int i) { return meta[2 * i + 1] & MAX_COST; }
    private long keyAt(int i) { return meta[2 * i] & ~(0x7FFFL << 33); }

    boolean eligible(int i) {
        return (flags(i) & (FILTERED | UNRESOLVED)) == 0;
    }

    int indexOf(int peer, long pathId) {
        long k = key(peer, pathId);
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = keyAt(mid);
            int c = Long.compareUnsigned(m, k);
            if (c < 0) lo = mid + 1; else if (c > 0) hi = mid - 1; else return mid;
        }
        return -(lo + 1);
    }

    int indexOfStamp(long stamp) {
        if (stamp == 0) return -1;
        for (int i = 0; i < size; i++) if (meta[2 * i + 1] == stamp) return i;
        return -1;
    }

    /**
     * Inserts or replaces the path (peer, pathId). Returns false when nothing visible changed: same
     * interned attributes and same flags apart from STALE (a refreshed stale path keeps its stamp).
     */
    boolean put(int peer, long pathId, int flags, RouteAttributes a, long arrival, long igpCost) {
        long m0 = key(peer, pathId) | ((long) (flags & 0x7FFF) << 33);
        long m1 = (arrival << 24) | Math.min(Math.max(igpCost, 0), MAX_COST);
        int i = indexOf(peer, pathId);
        if (i >= 0) {
            boolean same = attrs[i] == a && ((flags(i) & ~STALE) == (flags & ~STALE));
            if (same) {
                meta[2 * i] = m0; // clears STALE
                return false;
            }
            meta[2 * i] = m0;
            meta[2 * i + 1] = m1;
            attrs[i] = a;
            return true;
        }
        i = -i - 1;
        if (size == attrs.length) {
            int n = size < 4 ? size + 1 : size + (size >> 1);
            attrs = Arrays.copyOf(attrs, n);
            meta = Arrays.copyOf(meta, 2 * n);
        }
        System.arraycopy(attrs, i, attrs, i + 1, size - i);
        System.arraycopy(meta, 2 * i, meta, 2 * i + 2, 2 * (size - i));
        attrs[i] = a;
        meta[2 * i] = m0;
        meta[2 * i + 1] = m1;
        size++;
        return true;
    }

    void removeAt(int i) {
        System.arraycopy(attrs, i + 1, attrs, i, size - i - 1);
        System.arraycopy(meta, 2 * i + 2, meta, 2 * i, 2 * (size - i - 1));
        size--;
        attrs[size] = null;
    }

    boolean remove(int peer, long pathId) {
        int i = indexOf(peer, pathId);
        if (i < 0) return false;
        removeAt(i);
        return true;
    }

    /** Removes the peer's paths whose flags include all of {@code mustHave} (0 = all its paths). */
    boolean removePeer(int peer, int mustHave) {
        boolean changed = false;
        for (int i = size - 1; i >= 0; i--) {
            if (peer(i) == peer && (flags(i) & mustHave) == mustHave) {
                removeAt(i);
                changed = true;
            }
        }
        return changed;
    }

    /** Sets STALE on every path of the peer; returns whether it has any here. */
    boolean markStale(int peer) {
        boolean any = false;
        for (int i = 0; i < size; i++) {
            if (peer(i) == peer) {
                meta[2 * i] |= (long) STALE << 33;
                any = true;
            }
        }
        return any;
    }
}
