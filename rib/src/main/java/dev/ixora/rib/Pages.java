package dev.ixora.rib;

import java.util.Arrays;

/**
 * Growable columns of primitives (and references) indexed by slot, stored in fixed pages of
 * {@link #PAGE} entries instead of one array. Growing adds a page: nothing is copied, so a table of a
 * million prefixes never holds an old and a new copy of a column at once (a doubling array peaks at
 * three times its live size while it copies, and that peak is the process's peak RSS), and the
 * unused tail is at most one page. RIB thread only.
 */
final class Pages {
    static final int SHIFT = 12;
    static final int PAGE = 1 << SHIFT;
    static final int MASK = PAGE - 1;

    private Pages() {}

    /**
     * A column of longs, zero where never set. A page never written is the shared all-zero page,
     * never null, so {@link #get} is one bounds check and small enough for C1 to inline where it is
     * called through an accessor (UpdateGroup's per-prefix reads); only {@link #page} writes, and it
     * replaces the zero page first.
     */
    static final class Longs {
        private static final long[] ZERO = new long[PAGE];
        private long[][] pages = zeroPages(new long[4][], 0);

        long get(int i) {
            int p = i >>> SHIFT;
            if (p >= pages.length) return 0;
            return pages[p][i & MASK];
        }

        private static long[][] zeroPages(long[][] pages, int from) {
            Arrays.fill(pages, from, pages.length, ZERO);
            return pages;
        }

        void set(int i, long v) {
            page(i >>> SHIFT)[i & MASK] = v;
        }

        /** As {@link #set}, but a zero written where no page exists allocates none (sparse columns). */
        void setSparse(int i, long v) {
            if (v == 0 && get(i) == 0) return;
            page(i >>> SHIFT)[i & MASK] = v;
        }

        /** Reads an entry known to be on an allocated page (written with {@link #set}): small enough to inline. */
        long at(int i) {
            return pages[i >>> SHIFT][i & MASK];
        }

        /** Writes an entry known to be on an allocated page (written with {@link #set} before). */
        void setAt(int i, long v) {
            pages[i >>> SHIFT][i & MASK] = v;
        }

        /** Allocates the page of entry {@code i} if it has none (its entries read zero). */
        void ensure(int i) {
            page(i >>> SHIFT);
        }

        /**
         * The allocated page holding entry {@code i}, at index {@code i & MASK}. Pages never move once
         * allocated, so a caller may keep it to read and write that entry directly.
         */
        long[] pageOf(int i) {
            long[] page = pages[i >>> SHIFT];
            assert page != ZERO : "entry " + i + " has no page";
            return page;
        }

        private long[] page(int p) {
            if (p >= pages.length) {
                int old = pages.length;
                pages = zeroPages(Arrays.copyOf(pages, Math.max(p + 1, old * 2)), old);
            }
            long[] page = pages[p];
            if (page == ZERO) pages[p] = page = new long[PAGE];
            return page;
        }
    }

    /** A column of ints, zero where never set; never-written pages are a shared zero page as in {@link Longs}. */
    static final class Ints {
        private static final int[] ZERO = new int[PAGE];
        private int[][] pages = zeroPages(new int[4][], 0);

        int get(int i) {
            int p = i >>> SHIFT;
            if (p >= pages.length) return 0;
            return pages[p][i & MASK];
        }

        private static int[][] zeroPages(int[][] pages, int from) {
            Arrays.fill(pages, from, pages.length, ZERO);
            return pages;
        }

        void set(int i, int v) {
            page(i >>> SHIFT)[i & MASK] = v;
        }

        /** As {@link #set}, but a zero written where no page exists allocates none (sparse columns). */
        void setSparse(int i, int v) {
            if (v == 0 && get(i) == 0) return;
            page(i >>> SHIFT)[i & MASK] = v;
        }

        /** Reads an entry known to be on an allocated page (written with {@link #set}): small enough to inline. */
        int at(int i) {
            return pages[i >>> SHIFT][i & MASK];
        }

        private int[] page(int p) {
            if (p >= pages.length) {
                int old = pages.length;
                pages = zeroPages(Arrays.copyOf(pages, Math.max(p + 1, old * 2)), old);
            }
            int[] page = pages[p];
            if (page == ZERO) pages[p] = page = new int[PAGE];
            return page;
        }
    }

    /** A column of bytes, zero where never set. */
    static final class Bytes {
        private byte[][] pages = new byte[4][];

        /** Reads an entry known to be on an allocated page: small enough to inline. */
        byte at(int i) {
            return pages[i >>> SHIFT][i & MASK];
        }

        /** Writes an entry known to be on an allocated page. */
        void setAt(int i, byte v) {
            pages[i >>> SHIFT][i & MASK] = v;
        }

        /** Allocates the page of entry {@code i} if it has none (its entries read zero). */
        void ensure(int i) {
            if ((i >>> SHIFT) >= pages.length || pages[i >>> SHIFT] == null) set(i, (byte) 0);
        }

        byte get(int i) {
            int p = i >>> SHIFT;
            byte[] page = p < pages.length ? pages[p] : null;
            return page == null ? 0 : page[i & MASK];
        }

        void set(int i, byte v) {
            int p = i >>> SHIFT;
            if (p >= pages.length) pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
            byte[] page = pages[p];
            if (page == null) pages[p] = page = new byte[PAGE];
            page[i & MASK] = v;
        }
    }

    /** A column of references, null where never set. */
    static final class Refs<T> {
        private Object[][] pages = new Object[4][];

        /** Reads an entry known to be on an allocated page: small enough to inline. */
        @SuppressWarnings("unchecked")
        T at(int i) {
            return (T) pages[i >>> SHIFT][i & MASK];
        }

        /** Writes an entry known to be on an allocated page (written with {@link #set} before). */
        void setAt(int i, T v) {
            pages[i >>> SHIFT][i & MASK] = v;
        }

        /** As {@link Longs#pageOf}: the allocated page holding entry {@code i}, at index {@code i & MASK}. */
        Object[] pageOf(int i) {
            return pages[i >>> SHIFT];
        }

        @SuppressWarnings("unchecked")
        T get(int i) {
            int p = i >>> SHIFT;
            Object[] page = p < pages.length ? pages[p] : null;
            return page == null ? null : (T) page[i & MASK];
        }

        /** Allocates the page of entry {@code i} if it has none (its entries read null). */
        void ensure(int i) {
            if ((i >>> SHIFT) >= pages.length || pages[i >>> SHIFT] == null) set(i, null);
        }

        void set(int i, T v) {
            int p = i >>> SHIFT;
            if (p >= pages.length) pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
            Object[] page = pages[p];
            if (page == null) pages[p] = page = new Object[PAGE];
            page[i & MASK] = v;
        }
    }
}
