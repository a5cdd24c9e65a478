package dev.ixora.rib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The route-server clients that share one export policy, and the state they share:
 * <ul>
 *   <li>per prefix b1 = best path the policy allows, b2 = best allowed path from another peer than
 *       b1's (a client gets b1, or b2 when b1 came from itself);</li>
 *   <li>a change log: prefix ids whose b1 changed, each live at most once (a newer entry kills the
 *       older one), read by every member through its own cursor. Output is computed once per
 *       entry and shared by the members (encode-once can key on it). Entries every member has read
 *       are dropped, and dead entries are squeezed out, so the log stays within about twice the
 *       number of prefixes however slow a member is (DESIGN.md: a set, never a queue).</li>
 * </ul>
 * Values are {@code arrival << 16 | peer id}, 0 for none. RIB thread only.
 */
final class UpdateGroup {
    final ExportPolicy policy;
    final int number;
    final List<Member> members = new ArrayList<>();
    /** Members that had read everything when they last drained: woken by the next append. */
    final List<Member> caughtUp = new ArrayList<>();

    // per family (index id & 1), by slot (id >>> 1): paged, so the columns grow without copies
    private final Pages.Longs[] b1 = {new Pages.Longs(), new Pages.Longs()};
    private final Pages.Longs[] b2 = {new Pages.Longs(), new Pages.Longs()};
    /**
     * Position + 1 in the log of the slot's live entry, 0 when none: per family, pages of
     * {@link Pages#PAGE} slots, here rather than in a {@link Pages.Ints} so that {@link #append}
     * reads and writes an entry with one page lookup.
     */
    private final int[][][] livePages = {new int[4][], new int[4][]};
    /*
     * The log, three columns by position: the prefix id (-1 = dead), the peer of the entry's b1
     * (-1 when it has none, a withdrawal: a b1 change always appends a new entry, so this is b1's
     * peer now; drains read it to spot a member's own routes without a lookup per member and
     * prefix), and the route the members share (made by the first member that reads it). Paged:
     * page 0 grows by copying up to LOG_PAGE entries, then the log grows by whole pages, so a log
     * of a million entries is never copied and leaves no old copies behind (1x1000000: doubling
     * arrays allocated 25 MB over the run, half of it garbage in the old generation).
     */
    static final int LOG_SHIFT = 12;
    static final int LOG_PAGE = 1 << LOG_SHIFT;
    static final int LOG_MASK = LOG_PAGE - 1;
    private int[][] logPages = {new int[64]};
    private int[][] peerPages = {new int[64]};
    private ExportedRoute[][] sharedPages = {new ExportedRoute[64]};
    private int capacity = 64;

    /** The prefix id at log position {@code pos} (position = seq - base), -1 when the entry is dead. */
    int logId(int pos) {
        return logPages[pos >>> LOG_SHIFT][pos & LOG_MASK];
    }

    /** The peer of the b1 of the entry at {@code pos}, -1 for a withdrawal. */
    int logPeer(int pos) {
        return peerPages[pos >>> LOG_SHIFT][pos & LOG_MASK];
    }

    /** The route the members share for the entry at {@code pos}, null until the first member makes it. */
    ExportedRoute shared(int pos) {
        return sharedPages[pos >>> LOG_SHIFT][pos & LOG_MASK];
    }

    void shared(int pos, ExportedRoute r) {
        sharedPages[pos >>> LOG_SHIFT][pos & LOG_MASK] = r;
    }

    /** Entries the log has room for now (tests: it stays bounded). */
    int capacity() {
        return capacity;
    }

    long base = 1;                          // seq of log position 0
    int len;
    private int live;

    UpdateGroup(ExportPolicy policy, int number) {
        this.policy = policy;
        this.number = number;
    }

    /** A client of the group: where it is in the log, its full-table dump position, its own extras. */
    static final class Member {
        final int id;
        final UpdateGroup group;
        long cursor;
        int dumpNext;          // next prefix id of the initial table dump, -1 when done
        final DirtySet extra = new DirtySet(); // changes only this member sees (b2 when b1 is its own)
        boolean waiting;       // in group.caughtUp
        /**
         * Per family, slots this client was sent a route for and no withdrawal since: 1 bit each, in
         * plain words (the per-member, per-prefix hot path of a drain: no BitSet bookkeeping).
         */
        private final long[][] holds = {new long[0], new long[0]};

        boolean holds(int id) {
            long[] w = holds[id & 1];
            int slot = id >>> 1;
            int word = slot >>> 6;
            return word < w.length && (w[word] & (1L << slot)) != 0;
        }

        void holds(int id, boolean value) {
            int fam = id & 1;
            int slot = id >>> 1;
            int word = slot >>> 6;
            long[] w = holds[fam];
            if (word >= w.length) {
                if (!value) return;
                holds[fam] = w = Arrays.copyOf(w, Math.max(word + 1, w.length + (w.length >> 1) + 16));
            }
            if (value) w[word] |= 1L << slot;
            else w[word] &= ~(1L << slot);
        }

        Member(int id, UpdateGroup group) {
            this.id = id;
            this.group = group;
        }
    }

    static long value(long arrival, int peer) {
        return arrival << 16 | peer;
    }

    static int peerOf(long value) {
        return (int) (value & 0xFFFF);
    }

    /** The choice for a client given b1/b2: RFC 7947 section 2, never back to the route's source. */
    static long choose(int client, long b1, long b2) {
        if (b1 == 0) return 0;
        return peerOf(b1) != client ? b1 : b2;
    }

    long choice(int client, int id) {
        return choose(client, b1(id), b2(id));
    }

    long b1(int id) {
        return b1[id & 1].get(id >>> 1);
    }

    long b2(int id) {
        return b2[id & 1].get(id >>> 1);
    }

    void set(int id, long v1, long v2) {
        int fam = id & 1, slot = id >>> 1;
        b1[fam].setSparse(slot, v1); // zeros on pages never written allocate nothing (Pages)
        b2[fam].setSparse(slot, v2);
    }

    /** The page holding the prefix's live position (allocated on first use), at index {@code (id >>> 1) & Pages.MASK}. */
    private int[] livePage(int id) {
        int fam = id & 1;
        int[][] pages = livePages[fam];
        int p = id >>> (1 + Pages.SHIFT);
        if (p >= pages.length) livePages[fam] = pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
        int[] page = pages[p];
        if (page == null) pages[p] = page = new int[Pages.PAGE];
        return page;
    }

    long end() {
        return base + len;
    }

    /** Records that the prefix's b1 changed: its older entry dies, a new one goes to the end. */
    void append(int id, long b1) {
        int[] livePos = livePage(id);
        int at = (id >>> 1) & Pages.MASK;
        int old = livePos[at];
        if (old > 0) {
            int pos = old - 1;
            logPages[pos >>> LOG_SHIFT][pos & LOG_MASK] = -1;
            shared(pos, null);
            live--;
        }
        if (len == capacity) compact();
        int p = len >>> LOG_SHIFT, i = len & LOG_MASK;
        logPages[p][i] = id;
        peerPages[p][i] = b1 == 0 ? -1 : peerOf(b1);
        sharedPages[p][i] = null;
        livePos[at] = len + 1; // compact() above never touches this prefix: its old entry is dead
        len++;
        live++;
    }

    /** The entry at {@code seq} if it is live, else -1. */
    int entry(long seq) {
        return logId((int) (seq - base));
    }

    /**
     * Drops what every member has read, squeezes out dead entries, renumbers the members' cursors;
     * grows the log only when the live part still fills more than half of it.
     */
    private void compact() {
        long min = end();
        for (Member m : members) min = Math.min(min, m.cursor);
        long newBase = min;
        // members by cursor: each gets newBase + the number of kept entries before its cursor
        Member[] byCursor = members.toArray(new Member[0]);
        Arrays.sort(byCursor, (a, b) -> Long.compare(a.cursor, b.cursor));
        int next = 0;
        int k = 0; // in place: entry k <= pos always
        for (int pos = 0; pos < len; pos++) {
            long seq = base + pos;
            while (next < byCursor.length && byCursor[next].cursor <= seq) byCursor[next++].cursor = newBase + k;
            int id = logId(pos);
            if (id < 0) continue;
            if (seq < min) { // every member is past it
                livePage(id)[(id >>> 1) & Pages.MASK] = 0;
                live--;
                continue;
            }
            int to = k >>> LOG_SHIFT, at = k & LOG_MASK;
            logPages[to][at] = id;
            peerPages[to][at] = logPeer(pos);
            sharedPages[to][at] = shared(pos);
            livePage(id)[(id >>> 1) & Pages.MASK] = k + 1;
            k++;
        }
        while (next < byCursor.length) byCursor[next++].cursor = newBase + k;
        for (int pos = k; pos < len; pos++) shared(pos, null);
        if (k * 2 > capacity) grow(); // still more than half full of live entries
        base = newBase;
        len = k;
    }

    /** Doubles the log's room: page 0 by copying while it is smaller than a page, then by adding pages. */
    private void grow() {
        if (capacity < LOG_PAGE) {
            int c = capacity * 2;
            logPages[0] = Arrays.copyOf(logPages[0], c);
            peerPages[0] = Arrays.copyOf(peerPages[0], c);
            sharedPages[0] = Arrays.copyOf(sharedPages[0], c);
            capacity = c;
            return;
        }
        int pages = capacity >>> LOG_SHIFT;
        logPages = Arrays.copyOf(logPages, pages * 2);
        peerPages = Arrays.copyOf(peerPages, pages * 2);
        sharedPages = Arrays.copyOf(sharedPages, pages * 2);
        for (int p = pages; p < pages * 2; p++) {
            logPages[p] = new int[LOG_PAGE];
            peerPages[p] = new int[LOG_PAGE];
            sharedPages[p] = new ExportedRoute[LOG_PAGE];
        }
        capacity = pages * 2 * LOG_PAGE;
    }
}
