package dev.ixora.rib;

import dev.ixora.codec.Prefix;
import java.util.Arrays;

/**
 * The prefixes of one address family, packed: columns of primitives indexed by a stable slot
 * number, found through an open-addressing index keyed by the packed prefix (no Prefix object is
 * kept). Slots are never reused, so a slot number can sit in an export dirty set while its prefix
 * loses every path; an empty prefix keeps its slot (about 30 bytes) until the table is rebuilt.
 * Not thread-safe: the RIB thread owns it.
 */
final class PrefixTable {
    private final boolean v6;
    private long[] hi;           // v6 only
    private long[] lo;
    private byte[] len;
    private PathSet[] sets;
    private int size;
    private int[] index = new int[64]; // slot + 1, 0 = empty
    private int nonEmpty;

    PrefixTable(boolean v6) {
        this.v6 = v6;
        hi = v6 ? new long[16] : null;
        lo = new long[16];
        len = new byte[16];
        sets = new PathSet[16];
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
        int mask = index.length - 1;
        for (int i = hash(p.hi(), p.lo(), p.length()) & mask; index[i] != 0; i = (i + 1) & mask) {
            int s = index[i] - 1;
            if (lo[s] == p.lo() && len[s] == (byte) p.length() && (!v6 || hi[s] == p.hi())) return s;
        }
        return -1;
    }

    /** Slot of the prefix, allocating one when it is new. */
    int findOrAdd(Prefix p) {
        int s = find(p);
        if (s >= 0) return s;
        if ((size + 1) * 2 > index.length) rehash(index.length * 2);
        if (size == lo.length) grow();
        s = size++;
        if (v6) hi[s] = p.hi();
        lo[s] = p.lo();
        len[s] = (byte) p.length();
        int mask = index.length - 1;
        int i = hash(p.hi(), p.lo(), p.length()) & mask;
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = s + 1;
        return s;
    }

    Prefix prefix(int slot) {
        return new Prefix(v6 ? hi[slot] : 0, lo[slot], len[slot] & 0xFF, v6);
    }

    /** The paths of a slot, or null when it has none. */
    PathSet paths(int slot) {
        return sets[slot];
    }

    void setPaths(int slot, PathSet ps) {
        if (sets[slot] == null && ps != null) nonEmpty++;
        if (sets[slot] != null && ps == null) nonEmpty--;
        sets[slot] = ps;
    }

    /** Prefixes that currently have at least one path. */
    int prefixCount() {
        return nonEmpty;
    }

    private void grow() {
        int n = lo.length * 2;
        if (v6) hi = Arrays.copyOf(hi, n);
        lo = Arrays.copyOf(lo, n);
        len = Arrays.copyOf(len, n);
        sets = Arrays.copyOf(sets, n);
    }

    private void rehash(int capacity) {
        int[] fresh = new int[capacity];
        int mask = capacity - 1;
        for (int s = 0; s < size; s++) {
            int i = hash(v6 ? hi[s] : 0, lo[s], len[s] & 0xFF) & mask;
            while (fresh[i] != 0) i = (i + 1) & mask;
            fresh[i] = s + 1;
        }
        index = fresh;
    }

    private static int hash(long h, long l, int length) {
        long x = (h * 0x9E3779B97F4A7C15L) ^ (l * 0xC2B2AE3D27D4EB4FL) ^ length;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return (int) (x ^ (x >>> 29));
    }
}
