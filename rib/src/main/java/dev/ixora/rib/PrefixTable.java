package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/**
 * The prefixes of one address family, packed: paged columns of primitives ({@link Pages}) indexed by
 * a stable slot number, found through an open-addressing index keyed by the packed prefix (no Prefix
 * object is kept), and the prefix's paths in three more columns ({@link PathSet}: no object for a
 * prefix with one path). Slots are never reused, so a slot number can sit in an export dirty set
 * while its prefix loses every path; an empty prefix keeps its slot (about 40 bytes) until the
 * table is rebuilt. Not thread-safe: the RIB thread owns it.
 *
 * <p>The index hash keeps neighbours together: prefixes of one length whose network numbers differ
 * only in the lowest three bits land in consecutive index entries (one cache line), and everything
 * else is mixed. Full tables arrive roughly in address order, so most lookups then hit a cache line
 * the previous lookup brought in, where a fully mixed hash misses the cache on every prefix.
 */
final class PrefixTable {
    private final boolean v6;
    private final Pages.Longs hi = new Pages.Longs();    // v6 only
    private final Pages.Longs lo = new Pages.Longs();
    private final Pages.Bytes len = new Pages.Bytes();
    // the paths of each slot, in three columns read and written by PathSet (see there): the single
    // path's words (or a Multi's mark and best stamp), and its attributes, a Multi or null
    final Pages.Longs w0 = new Pages.Longs();
    final Pages.Longs w1 = new Pages.Longs();
    final Pages.Refs<Object> refs = new Pages.Refs<>();
    private int size;
    private int[] index = new int[64]; // slot + 1, 0 = empty
    private int nonEmpty;

    PrefixTable(boolean v6) {
        this.v6 = v6;
    }

    boolean v6() {
        return v6;
    }

    /** Number of slots ever allocated (iteration bound). */
    int slots() {
        return size;
    }

    /** Slot of the prefix, or -1. */
    int find(Prefix p) {
        return find(p.hi(), p.lo(), p.length());
    }

    private int find(long h, long l, int length) {
        long x = mixed(h, l, length, v6);
        int fp = fingerprint(x);
        int mask = index.length - 1;
        for (int i = position(x) & mask; ; i = (i + 1) & mask) {
            int e = index[i];
            if (e == 0) return -1;
            if ((e & ~SLOT_MASK) != fp) continue; // another prefix: no need to read its columns
            int s = (e & SLOT_MASK) - 1;
            if (lo.at(s) == l && len.at(s) == (byte) length && (!v6 || hi.at(s) == h)) return s;
        }
    }

    /** Slot of the prefix, allocating one when it is new. */
    int findOrAdd(Prefix p) {
        long h = p.hi(), l = p.lo();
        int length = p.length();
        long x = mixed(h, l, length, v6);
        int fp = fingerprint(x);
        int mask = index.length - 1;
        int i = position(x) & mask;
        for (int e; (e = index[i]) != 0; i = (i + 1) & mask) {
            if ((e & ~SLOT_MASK) != fp) continue;
            int s = (e & SLOT_MASK) - 1;
            if (lo.at(s) == l && len.at(s) == (byte) length && (!v6 || hi.at(s) == h)) return s;
        }
        if (size + 1 >= SLOT_MASK) throw new IllegalStateException("prefix table full: " + size + " prefixes in one family");
        int s = size++;
        if ((s & Pages.MASK) == 0) newPage(s);
        if (v6) hi.setAt(s, h);
        lo.setAt(s, l);
        len.setAt(s, (byte) length);
        index[i] = fp | (s + 1);
        if (size * 2 > index.length) rehash(index.length * 2);
        return s;
    }

    /**
     * Slot {@code s} starts a page: every column gets it, so that reads and writes of any allocated
     * slot use the unchecked {@code at}/{@code setAt} (the paths' columns read zero: "no path").
     */
    private void newPage(int s) {
        if (v6) hi.ensure(s);
        lo.ensure(s);
        len.ensure(s);
        w0.ensure(s);
        w1.ensure(s);
        refs.ensure(s);
    }

    Prefix prefix(int slot) {
        return new Prefix(v6 ? hi.at(slot) : 0, lo.at(slot), len.at(slot) & 0xFF, v6);
    }

    /** The slot's prefix bits without a Prefix object (export carries them): as {@link Prefix#hi()}. */
    long hiAt(int slot) {
        return v6 ? hi.at(slot) : 0;
    }

    /** As {@link Prefix#lo()}. */
    long loAt(int slot) {
        return lo.at(slot);
    }

    /** As {@link Prefix#length()}. */
    int lengthAt(int slot) {
        return len.at(slot) & 0xFF;
    }

    /** Whether the slot has at least one path. */
    boolean hasPaths(int slot) {
        return refs.at(slot) != null;
    }

    /** PathSet: a slot's reference column went from null to non-null (+1) or back (-1). */
    void nonEmpty(int delta) {
        nonEmpty += delta;
    }

    /** Prefixes that currently have at least one path. */
    int prefixCount() {
        return nonEmpty;
    }

    private void rehash(int capacity) {
        int[] fresh = new int[capacity];
        int mask = capacity - 1;
        for (int s = 0; s < size; s++) {
            long x = mixed(v6 ? hi.at(s) : 0, lo.at(s), len.at(s) & 0xFF, v6);
            int i = position(x) & mask;
            while (fresh[i] != 0) i = (i + 1) & mask;
            fresh[i] = fingerprint(x) | (s + 1);
        }
        index = fresh;
    }

    /**
     * The index position: the prefix's network number at its own length ({@code u}) keeps its low
     * three bits as the low bits of the hash; the rest of it, the length and (IPv6 beyond /64) the
     * upper half are mixed into the high bits.
     */
    static int hash(long h, long l, int length, boolean v6) {
        return position(mixed(h, l, length, v6));
    }

    /** Index entries: slot + 1 in the low 26 bits, 6 bits of the prefix's hash above (0 = empty). */
    static final int SLOT_MASK = (1 << 26) - 1;

    /** Low 3 bits: the network number's own; the rest mixed (see {@link #hash}). */
    private static int position(long x) {
        return ((int) x & ~7) | (int) (x >>> 61);
    }

    private static int fingerprint(long x) {
        return ((int) (x >>> 52) & 0x3F) << 26;
    }

    /** The mixed hash in bits 3..60 (position and fingerprint), the network number's low 3 bits in 61..63. */
    private static long mixed(long h, long l, int length, boolean v6) {
        long u;
        long rest = 0;
        if (length == 0) {
            u = 0;
        } else if (!v6) {
            u = l >>> (32 - length);
        } else if (length <= 64) {
            u = h >>> (64 - length);
        } else if (length == 128) {
            u = l;
            rest = h;
        } else {
            u = (h << (length - 64)) | (l >>> (128 - length));
            rest = h;
        }
        long x = ((u >>> 3) * 0x9E3779B97F4A7C15L) ^ (rest * 0xC2B2AE3D27D4EB4FL) ^ (length * 0x165667B19E3779F9L);
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return (x << 3 >>> 3) | (u << 61);
    }
}
