package dev.ixora.rib;

import java.util.Arrays;

/**
 * All paths of one prefix (every peer, every ADD-PATH id, filtered ones too), kept in its
 * {@link PrefixTable}'s columns instead of an object per prefix: this class is a flyweight bound
 * to one (table, slot) at a time ({@link #bind}), reused by the RIB thread. Paths are kept sorted
 * by (peer id, path id) so scans run in a canonical order whatever order routes arrived in.
 *
 * <p>Per slot the table holds three columns: {@code w0}, {@code w1} and {@code ref}. Most prefixes
 * have one path: {@code w0, w1} are its two words and {@code ref} its attributes, and nothing is
 * allocated per prefix. From a second path on, {@code ref} is a {@link Multi} holder with arrays of
 * every path, and {@code w0, w1} keep a copy of the words of path 0: path 0 reads the same in both
 * shapes, without a type check (small enough for C1 to inline wherever it is read). {@code ref} is
 * null when the prefix has no path (then {@code w0} holds at most the mark, {@code w1} zero).
 *
 * <p>Per path, word 0 packs peer id (16 bits) | flags (15 bits) | path id + 1 (33 bits), and
 * word 1 is the stamp: arrival number (40 bits) | interior cost (24 bits, saturating). The arrival
 * number changes whenever the path's attributes or flags change, so it doubles as the path's
 * version for change detection. The top flag bit of the column {@code w0} is the RIB's "touched in
 * this batch" mark ({@link #mark}), not a path flag.
 *
 * <p>A binding stays valid while the slot's paths change through it; a flyweight is not to be kept
 * across another prefix's work (bind one per use, as {@link PathCursor} does).
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
    private static final long MARK_BIT = 1L << 47;           // flag bit 14 of the column w0

    private PrefixTable t;
    private int slot;
    // the slot's entries of the three columns: page arrays never move, so the binding keeps them
    private long[] page0;
    private long[] page1;
    private Object[] refs;
    private int k;

    /** Two or more paths: [2i] word 0, [2i+1] word 1 (path 0's also in the columns). */
    private static final class Multi {
        long[] meta;
        RouteAttributes[] attrs;
        int size;
        /** Stamp of the Loc-RIB best path as last recomputed, 0 when none, -1 unknown. */
        long bestStamp;

        Multi(long[] meta, RouteAttributes[] attrs, int size) {
            this.meta = meta;
            this.attrs = attrs;
            this.size = size;
        }
    }

    /** Binds this flyweight to the slot's paths (which may be none) and returns it. */
    PathSet bind(PrefixTable table, int slot) {
        this.t = table;
        this.slot = slot;
        this.page0 = table.w0.pageOf(slot);
        this.page1 = table.w1.pageOf(slot);
        this.refs = table.refs.pageOf(slot);
        this.k = slot & Pages.MASK;
        return this;
    }

    /** Binds this flyweight to the prefix {@code other} is bound to. */
    PathSet bind(PathSet other) {
        this.t = other.t;
        this.slot = other.slot;
        this.page0 = other.page0;
        this.page1 = other.page1;
        this.refs = other.refs;
        this.k = other.k;
        return this;
    }

    private void setRef(Object r) {
        Object old = refs[k];
        if (old == null) {
            if (r != null) t.nonEmpty(1);
        } else if (r == null) {
            t.nonEmpty(-1);
        }
        refs[k] = r;
    }

    PrefixTable table() {
        return t;
    }

    int slot() {
        return slot;
    }

    private Multi multi() {
        return refs[k] instanceof Multi mu ? mu : null;
    }

    /**
     * Stamp of the Loc-RIB best path as last recomputed, 0 when none; -1 when not kept. A prefix
     * with one path keeps none: every recompute of it counts as a change of best, which is what it
     * is, since it is recomputed only when that path changed.
     */
    long bestStamp() {
        return refs[k] instanceof Multi mu ? mu.bestStamp : -1;
    }

    void bestStamp(long stamp) {
        if (refs[k] instanceof Multi mu) mu.bestStamp = stamp;
    }

    /** Index of the Loc-RIB best path, -1 when none (between batches: everything is recomputed). */
    int bestIndex() {
        Object r = refs[k];
        if (r instanceof Multi mu) return indexOfStamp(mu.bestStamp);
        return r != null && eligible(0) ? 0 : -1;
    }

    // the accessors read by every recompute and drain are kept under C1's inlining limits (35 bytes
    // of bytecode, 31 one call deeper, 27 two calls deeper; the default JVM options stop at C1): no
    // pattern variables, path 0 from the columns, the others out of line

    int size() {
        Object r = refs[k];
        if (r == null) return 0;
        return r instanceof Multi ? ((Multi) r).size : 1;
    }

    /** Sets the RIB's "touched in this batch" mark; false when it was set already. */
    boolean mark() {
        long x = page0[k];
        if ((x & MARK_BIT) != 0) return false;
        page0[k] = x | MARK_BIT;
        return true;
    }

    void unmark() {
        page0[k] &= ~MARK_BIT;
    }

    static long key(int peer, long pathId) {
        return ((long) peer << 48) | (pathId + 1);
    }

    /** Word 0 of path i; for a single path the mark bit may be set (every reader masks it off). */
    private long w0(int i) {
        if (i == 0) return page0[k];
        return word0(i);
    }

    private long w1(int i) {
        if (i == 0) return page1[k];
        return word1(i);
    }

    private long word0(int i) {
        return ((Multi) refs[k]).meta[2 * i];
    }

    private long word1(int i) {
        return ((Multi) refs[k]).meta[2 * i + 1];
    }

    private void set(int i, long x0, long x1, RouteAttributes a) {
        if (refs[k] instanceof Multi mu) {
            mu.meta[2 * i] = x0;
            mu.meta[2 * i + 1] = x1;
            mu.attrs[i] = a;
            if (i == 0) {
                page0[k] = x0 | (page0[k] & MARK_BIT);
                page1[k] = x1;
            }
        } else {
            page0[k] = x0 | (page0[k] & MARK_BIT);
            page1[k] = x1;
            setRef(a);
        }
    }

    RouteAttributes attrs(int i) {
        Object r = refs[k];
        return r instanceof Multi ? ((Multi) r).attrs[i] : (RouteAttributes) r;
    }

    int peer(int i) { return (int) (w0(i) >>> 48); }
    int flags(int i) { return (int) (w0(i) >>> 33) & FLAGS; }
    long pathId(int i) { return (w0(i) & 0x1_FFFF_FFFFL) - 1; }
    long stamp(int i) { return w1(i); }
    long arrival(int i) { return w1(i) >>> 24; }
    long igpCost(int i) { return w1(i) & MAX_COST; }
    private long keyAt(int i) { return w0(i) & ~FLAG_BITS; } // the mark is one of FLAG_BITS

    boolean eligible(int i) {
        return (flags(i) & (FILTERED | UNRESOLVED)) == 0;
    }

    int indexOf(int peer, long pathId) {
        long want = key(peer, pathId);
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(keyAt(mid), want);
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
        Object r = refs[k];
        if (r == null) { // the first path (or the first again): in the columns
            page0[k] = x0 | (page0[k] & MARK_BIT);
            page1[k] = x1;
            refs[k] = a;
            t.nonEmpty(1);
            return true;
        }
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
        Multi mu;
        int size;
        if (r instanceof Multi m) {
            mu = m;
            size = mu.size;
            if (size == mu.attrs.length) {
                int n = size < 4 ? size + 1 : size + (size >> 1);
                mu.attrs = Arrays.copyOf(mu.attrs, n);
                mu.meta = Arrays.copyOf(mu.meta, 2 * n);
            }
        } else { // a second path: move the first into arrays
            long y0 = page0[k], y1 = page1[k];
            mu = new Multi(new long[] {y0 & ~MARK_BIT, y1, 0, 0}, new RouteAttributes[] {(RouteAttributes) r, null}, 1);
            size = 1;
            // the best as last recomputed: when the slot is untouched in this batch, the single
            // path is as it was then, and it was the best if eligible; else unknown (-1)
            boolean wasEligible = ((int) (y0 >>> 33) & (FILTERED | UNRESOLVED)) == 0;
            mu.bestStamp = (y0 & MARK_BIT) != 0 ? -1 : wasEligible ? y1 : 0;
            setRef(mu); // the columns keep the words of path 0
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
            setRef(null);
            page0[k] &= MARK_BIT; // the mark stays until the RIB recomputes the prefix
            page1[k] = 0;
            return;
        }
        // a holder left with one path or none stays until settle(): the RIB still compares its best stamp
        int size = mu.size;
        System.arraycopy(mu.attrs, i + 1, mu.attrs, i, size - i - 1);
        System.arraycopy(mu.meta, 2 * i + 2, mu.meta, 2 * i, 2 * (size - i - 1));
        mu.size = size - 1;
        mu.attrs[size - 1] = null;
        if (i == 0) { // a new path 0, or none
            page0[k] = (size > 1 ? mu.meta[0] : 0) | (page0[k] & MARK_BIT);
            page1[k] = size > 1 ? mu.meta[1] : 0;
        }
    }

    /**
     * After the RIB recomputed the prefix: a holder left with one path gives it back to the
     * columns (no object for a single path), one left with none empties the slot.
     */
    void settle() {
        Multi mu = multi();
        if (mu == null || mu.size > 1) return;
        setRef(mu.size == 0 ? null : mu.attrs[0]); // the columns hold path 0 already (or nothing)
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
                set(i, (w0(i) & ~MARK_BIT) | ((long) STALE << 33), w1(i), attrs(i));
                any = true;
            }
        }
        return any;
    }
}
