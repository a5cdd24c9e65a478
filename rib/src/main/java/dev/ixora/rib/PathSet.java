package dev.ixora.rib;

import java.util.Arrays;

/**
 * All paths of one prefix (every peer, every ADD-PATH id, filtered ones too), packed instead of an
 * object per route. Kept sorted by (peer id, path id) so scans run in a canonical order whatever
 * order routes arrived in. Most prefixes have one path: it lives in the fields {@code m0, m1} with
 * its attributes in {@code ref}, and the object is 32 bytes; a {@link Multi} holder with arrays
 * takes {@code ref}'s place once a second path arrives.
 *
 * <p>Per path, word 0 packs peer id (16 bits) | flags (15 bits) | path id + 1 (33 bits), and
 * word 1 is the stamp: arrival number (40 bits) | interior cost (24 bits, saturating). The arrival
 * number changes whenever the path's attributes or flags change, so it doubles as the path's
 * version for change detection. The top flag bit of the single path's word 0 is the RIB's
 * "touched in this batch" mark ({@link #mark}), not a path flag.
 */
final class PathSet {
    static final int STALE = 1;          // RFC 4724 section 4.2: kept across a graceful restart
    static final int FILTERED = 2;       // rejected by import policy; the reason id is in REASON bits
    static final int UNRESOLVED = 4;     // RFC 4271 9.1.2: next hop unresolvable, ineligible
    static final int REASON_SHIFT = 3;   // 11 bits of filter reason id
    static final int REASON_MASK = 0x7FF;
    static final long MAX_COST = 0xFFFFFF;
    private static final int FLAGS = 0x3FFF;                 // path flags: STALE..REASON
    private static final long FLAG_BITS = 0x7FFFL << 33;     // flags and the mark, out of word 0
    private static final long MARK_BIT = 1L << 47;           // flag bit 14 of the single path's word 0

    private long m0, m1;                 // the single path (ref is its attributes or null)
    private Object ref;                  // null: no path; RouteAttributes: one path; Multi: two or more

    /** Two or more paths: [2i] word 0, [2i+1] word 1. */
    private static final class Multi {
        long[] meta;
        RouteAttributes[] attrs;
        int size;
        boolean mark;
        /** Stamp of the Loc-RIB best path as last recomputed, 0 when none, -1 unknown (just became multi). */
        long bestStamp = -1;

        Multi(long[] meta, RouteAttributes[] attrs, int size) {
            this.meta = meta;
            this.attrs = attrs;
            this.size = size;
        }
    }

    private Multi multi() {
        return ref instanceof Multi mu ? mu : null;
    }

    /**
     * Stamp of the Loc-RIB best path as last recomputed; -1 when not kept. A prefix with one path
     * keeps none: every recompute of it counts as a change of best, which is what it is, since it
     * is recomputed only when that path changed.
     */
    long bestStamp() {
        Multi mu = multi();
        return mu == null ? -1 : mu.bestStamp;
    }

    void bestStamp(long stamp) {
        Multi mu = multi();
        if (mu != null) mu.bestStamp = stamp;
    }

    /** Index of the Loc-RIB best path, -1 when none (between batches: everything is recomputed). */
    int bestIndex() {
        Multi mu = multi();
        if (mu == null) return ref != null && eligible(0) ? 0 : -1;
        return indexOfStamp(mu.bestStamp);
    }

    int size() {
        Object r = ref;
        return r == null ? 0 : r instanceof Multi mu ? mu.size : 1;
    }

    /** Sets the RIB's "touched in this batch" mark; false when it was set already. */
    boolean mark() {
        Multi mu = multi();
        if (mu != null) {
            if (mu.mark) return false;
            mu.mark = true;
            return true;
        }
        if ((m0 & MARK_BIT) != 0) return false;
        m0 |= MARK_BIT;
        return true;
    }

    void unmark() {
        Multi mu = multi();
        if (mu != null) mu.mark = false;
        else m0 &= ~MARK_BIT;
    }

    static long key(int peer, long pathId) {
        return ((long) peer << 48) | (pathId + 1);
    }

    private long w0(int i) { return ref instanceof Multi mu ? mu.meta[2 * i] : m0 & ~MARK_BIT; }
    private long w1(int i) { return ref instanceof Multi mu ? mu.meta[2 * i + 1] : m1; }

    private void set(int i, long x0, long x1, RouteAttributes a) {
        if (ref instanceof Multi mu) {
            mu.meta[2 * i] = x0;
            mu.meta[2 * i + 1] = x1;
            mu.attrs[i] = a;
        } else {
            m0 = x0 | (m0 & MARK_BIT);
            m1 = x1;
            ref = a;
        }
    }

    RouteAttributes attrs(int i) { return ref instanceof Multi mu ? mu.attrs[i] : (RouteAttributes) ref; }
    int peer(int i) { return (int) (w0(i) >>> 48); }
    int flags(int i) { return (int) (w0(i) >>> 33) & FLAGS; }
    long pathId(int i) { return (w0(i) & 0x1_FFFF_FFFFL) - 1; }
    long stamp(int i) { return w1(i); }
    long arrival(int i) { return w1(i) >>> 24; }
    long igpCost(int i) { return w1(i) & MAX_COST; }
    private long keyAt(int i) { return w0(i) & ~FLAG_BITS; }

    boolean eligible(int i) {
        return (flags(i) & (FILTERED | UNRESOLVED)) == 0;
    }

    int indexOf(int peer, long pathId) {
        long k = key(peer, pathId);
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(keyAt(mid), k);
            if (c < 0) lo = mid + 1; else if (c > 0) hi = mid - 1; else return mid;
        }
        return -(lo + 1);
    }

    int indexOfStamp(long stamp) {
        if (stamp == 0) return -1;
        for (int i = 0, n = size(); i < n; i++) if (w1(i) == stamp) return i;
        return -1;
    }

    /**
     * Inserts or replaces the path (peer, pathId). Returns false when nothing visible changed: same
     * interned attributes, same cost and same flags apart from STALE (a refreshed stale path keeps
     * its stamp).
     */
    boolean put(int peer, long pathId, int flags, RouteAttributes a, long arrival, long igpCost) {
        long cost = Math.min(Math.max(igpCost, 0), MAX_COST);
        long x0 = key(peer, pathId) | ((long) (flags & FLAGS) << 33);
        long x1 = (arrival << 24) | cost;
        int i = indexOf(peer, pathId);
        if (i >= 0) {
            if (attrs(i) == a && (flags(i) & ~STALE) == (flags & ~STALE) && igpCost(i) == cost) {
                set(i, x0, w1(i), a); // clears STALE, keeps the stamp
                return false;
            }
            set(i, x0, x1, a);
            return true;
        }
        i = -i - 1;
        Multi mu = multi();
        if (ref == null) { // the first path (or the first again): in the fields
            set(0, x0, x1, a);
            return true;
        }
        int size = size();
        if (mu == null) { // a second path: move the first into arrays
            mu = new Multi(new long[] {m0 & ~MARK_BIT, m1, 0, 0}, new RouteAttributes[] {(RouteAttributes) ref, null}, 1);
            mu.mark = (m0 & MARK_BIT) != 0;
            m0 = m1 = 0;
            ref = mu;
        } else if (size == mu.attrs.length) {
            int n = size < 4 ? size + 1 : size + (size >> 1);
            mu.attrs = Arrays.copyOf(mu.attrs, n);
            mu.meta = Arrays.copyOf(mu.meta, 2 * n);
        }
        System.arraycopy(mu.attrs, i, mu.attrs, i + 1, size - i);
        System.arraycopy(mu.meta, 2 * i, mu.meta, 2 * i + 2, 2 * (size - i));
        mu.size = size + 1;
        set(i, x0, x1, a);
        return true;
    }

    void removeAt(int i) {
        Multi mu = multi();
        if (mu == null) {
            ref = null;
            m0 &= MARK_BIT; // the mark stays until the RIB recomputes the prefix
            m1 = 0;
            return;
        }
        int size = mu.size;
        System.arraycopy(mu.attrs, i + 1, mu.attrs, i, size - i - 1);
        System.arraycopy(mu.meta, 2 * i + 2, mu.meta, 2 * i, 2 * (size - i - 1));
        mu.size = size - 1;
        mu.attrs[size - 1] = null;
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
        for (int i = size() - 1; i >= 0; i--) {
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
        for (int i = 0, n = size(); i < n; i++) {
            if (peer(i) == peer) {
                set(i, w0(i) | ((long) STALE << 33), w1(i), attrs(i));
                any = true;
            }
        }
        return any;
    }
}
