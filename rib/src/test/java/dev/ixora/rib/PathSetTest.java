package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.announce;
import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.p;
import static dev.ixora.rib.Fixtures.peer;
import static dev.ixora.rib.Fixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paths of a prefix in PrefixTable's columns: one path without an object, two or more in a holder. */
class PathSetTest {
    private static final RouteAttributes A1 = attrs(1, 1, -1);
    private static final RouteAttributes A2 = attrs(2, 2, -1);
    private static final RouteAttributes A3 = attrs(3, 3, -1);

    private static PathSet slot(PrefixTable t, String prefix) {
        return new PathSet().bind(t, t.findOrAdd(p(prefix)));
    }

    @Test
    void onePathThenTwoThenOneThenNoneOnTheSameSlot() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        assertEquals(0, ps.size());
        assertFalse(t.hasPaths(ps.slot()));
        assertEquals(-1, ps.bestIndex());

        assertTrue(ps.put(2, -1, 0, A2, 10, 7));
        assertEquals(1, ps.size());
        assertEquals(1, t.prefixCount());
        assertEquals(-1, ps.bestStamp(), "one path keeps no best stamp");
        assertEquals(0, ps.bestIndex());
        assertPath(ps, 0, 2, -1, 0, A2, 10, 7);

        assertTrue(ps.put(1, -1, 0, A1, 11, 0)); // sorts before peer 2
        assertEquals(2, ps.size());
        assertEquals(1, t.prefixCount());
        assertPath(ps, 0, 1, -1, 0, A1, 11, 0);
        assertPath(ps, 1, 2, -1, 0, A2, 10, 7);
        assertEquals(ps.stamp(1), ps.bestStamp(), "untouched single path was the best as last recomputed");
        ps.bestStamp(ps.stamp(0));
        assertEquals(0, ps.bestIndex());

        assertTrue(ps.remove(1, -1));
        assertEquals(1, ps.size());
        assertEquals(-1, ps.bestIndex(), "the holder keeps the old best stamp until recomputed");
        ps.settle(); // back to the columns
        assertEquals(-1, ps.bestStamp());
        assertEquals(0, ps.bestIndex());
        assertPath(ps, 0, 2, -1, 0, A2, 10, 7);
        assertSame(A2, t.refs.get(ps.slot()), "a single path has no holder object");

        assertTrue(ps.remove(2, -1));
        assertFalse(ps.remove(2, -1));
        assertEquals(0, ps.size());
        assertEquals(0, t.prefixCount());
        assertFalse(t.hasPaths(ps.slot()));
        ps.settle();
        assertEquals(0, ps.size());

        assertTrue(ps.put(3, 5, 0, A3, 12, 0)); // and a first path again
        assertPath(ps, 0, 3, 5, 0, A3, 12, 0);
        assertEquals(1, t.prefixCount());
    }

    @Test
    void twoPathsLeavingTogetherEmptyTheSlotOnSettle() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        ps.put(1, -1, 0, A1, 1, 0);
        ps.put(2, -1, 0, A2, 2, 0);
        assertTrue(ps.removePeer(1, 0));
        assertTrue(ps.removePeer(2, 0));
        assertEquals(0, ps.size());
        assertEquals(1, t.prefixCount(), "an empty holder stays until settle");
        ps.settle();
        assertEquals(0, t.prefixCount());
        assertFalse(t.hasPaths(ps.slot()));
        assertEquals(-1, ps.bestStamp());
    }

    @Test
    void theMarkSurvivesEveryShapeAndNeverShowsInAPath() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        assertTrue(ps.mark());
        assertFalse(ps.mark());
        ps.put(2, -1, PathSet.STALE, A2, 10, 3);
        assertFalse(ps.mark(), "a first path keeps the mark");
        assertPath(ps, 0, 2, -1, PathSet.STALE, A2, 10, 3);
        assertEquals(0, ps.indexOf(2, -1));
        ps.put(1, -1, 0, A1, 11, 0);
        assertFalse(ps.mark(), "a second path keeps the mark");
        assertEquals(-1, ps.bestStamp(), "touched in this batch: the best as last recomputed is unknown");
        assertEquals(1, ps.indexOf(2, -1));
        ps.remove(1, -1);
        ps.settle();
        assertFalse(ps.mark(), "back in the columns, still marked");
        assertPath(ps, 0, 2, -1, PathSet.STALE, A2, 10, 3);
        ps.removeAt(0);
        assertFalse(ps.mark(), "the mark stays until the RIB recomputes the prefix");
        ps.unmark();
        assertTrue(ps.mark());
        ps.unmark();
        ps.put(2, -1, 0, A2, 12, 0);
        assertTrue(ps.mark());
    }

    @Test
    void staleIsSetPerPeerAndARefreshClearsItKeepingTheStamp() {
        PrefixTable t = new PrefixTable(false);
        PathSet single = slot(t, "203.0.113.0/24");
        PathSet multi = slot(t, "198.51.100.0/24");
        single.put(1, -1, 0, A1, 1, 0);
        multi.put(1, -1, 0, A1, 2, 0);
        multi.put(2, -1, 0, A2, 3, 0);
        assertTrue(new PathSet().bind(t, single.slot()).markStale(1));
        assertFalse(new PathSet().bind(t, single.slot()).markStale(2));
        assertTrue(new PathSet().bind(t, multi.slot()).markStale(2));
        assertEquals(PathSet.STALE, single.flags(0));
        assertEquals(0, multi.flags(0));
        assertEquals(PathSet.STALE, multi.flags(1));
        long stamp = multi.stamp(1);
        assertFalse(multi.put(2, -1, 0, A2, 99, 0), "same attributes: not a change");
        assertEquals(0, multi.flags(1));
        assertEquals(stamp, multi.stamp(1));
        assertFalse(single.put(1, -1, 0, A1, 98, 0));
        assertEquals(0, single.flags(0));
        assertEquals(1, single.arrival(0));
        assertTrue(single.removePeer(1, 0));
        assertEquals(0, single.size());
        assertFalse(multi.removePeer(1, PathSet.STALE), "only stale paths go");
        assertEquals(2, multi.size());
    }

    @Test
    void aSecondPathNextToAnIneligibleOneKnowsThereWasNoBest() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        ps.put(2, -1, PathSet.FILTERED | (3 << PathSet.REASON_SHIFT), A2, 1, 0);
        ps.put(1, -1, 0, A1, 2, 0);
        assertEquals(0, ps.bestStamp(), "the filtered single path was no best");
        PathSet other = slot(t, "198.51.100.0/24");
        other.put(2, -1, PathSet.UNRESOLVED, A2, 3, 0);
        other.put(3, -1, 0, A3, 4, 0);
        assertEquals(0, other.bestStamp());
    }

    @Test
    void aFilteredPathKeepsItsReasonAndIsIneligible() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        int flags = PathSet.FILTERED | (PathSet.REASON_MASK << PathSet.REASON_SHIFT);
        ps.put(7, 42, flags, A1, 5, PathSet.MAX_COST + 10);
        ps.mark();
        assertPath(ps, 0, 7, 42, flags, A1, 5, PathSet.MAX_COST);
        assertFalse(ps.eligible(0));
        assertEquals(-1, ps.bestIndex());
        ps.put(7, 43, PathSet.UNRESOLVED, A2, 6, 0);
        assertPath(ps, 0, 7, 42, flags, A1, 5, PathSet.MAX_COST);
        assertFalse(ps.eligible(1));
    }

    @Test
    void aCursorKeepsItsPrefixWhenTheFlyweightItCameFromMoves() {
        PrefixTable t = new PrefixTable(false);
        PathSet ps = slot(t, "203.0.113.0/24");
        ps.put(1, -1, 0, A1, 1, 0);
        PathCursor c = new PathCursor(new Peers()).at(ps, 0);
        ps.bind(t, t.findOrAdd(p("198.51.100.0/24")));
        ps.put(2, -1, 0, A2, 2, 0);
        assertEquals(1, c.peer());
        assertEquals(1, c.arrival());
        assertEquals(A1.asPathLength(), c.asPathLength());
    }

    @Test
    void manyPrefixesAcrossPagesInBothShapes() {
        for (boolean v6 : new boolean[] {false, true}) {
            PrefixTable t = new PrefixTable(v6);
            int n = 3 * Pages.PAGE + 17;
            PathSet ps = new PathSet();
            for (int i = 0; i < n; i++) {
                int slot = t.findOrAdd(prefix(v6, i));
                assertEquals(i, slot);
                ps.bind(t, slot);
                ps.put(1 + i % 5, -1, 0, i % 2 == 0 ? A1 : A2, i + 1L, i % 100);
                if (i % 3 == 0) ps.put(9, i, PathSet.STALE, A3, n + i + 1L, 0);
            }
            assertEquals(n, t.prefixCount());
            for (int i = 0; i < n; i++) {
                ps.bind(t, t.find(prefix(v6, i)));
                assertEquals(i % 3 == 0 ? 2 : 1, ps.size(), "slot " + i);
                assertPath(ps, 0, 1 + i % 5, -1, 0, i % 2 == 0 ? A1 : A2, i + 1L, i % 100);
                if (i % 3 == 0) assertPath(ps, 1, 9, i, PathSet.STALE, A3, n + i + 1L, 0);
                assertEquals(prefix(v6, i), t.prefix(ps.slot()));
            }
            for (int i = 0; i < n; i += 2) ps.bind(t, i).removePeer(1 + i % 5, 0);
            for (int i = 0; i < n; i++) ps.bind(t, i).settle();
            int left = 0;
            for (int i = 0; i < n; i++) if (i % 2 == 1 || i % 3 == 0) left++;
            assertEquals(left, t.prefixCount());
        }
    }

    private static Prefix prefix(boolean v6, int i) {
        return v6 ? new Prefix(0x20010DB8_00000000L | ((long) i << 8), 0, 56, true) : Prefix.ipv4((0x0A000000 + i) << 8, 24);
    }

    /** Through the RIB: one path, a worse second one coming and going, a better one, the last gone. */
    @Test
    void theRibReportsBestChangesOnlyWhenTheBestChanges() {
        Rib rib = new Rib();
        rib.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)), new RibEvent.PeerUp(peer(3))));
        ChangeSubscription best = rib.subscribe(false, null);
        ChangeSubscription all = rib.subscribe(true, null);
        Prefix pfx = p("203.0.113.0/24");
        rib.apply(announce(1, attrs(1, 2, -1), "203.0.113.0/24"));
        assertEquals(List.of(pfx), best.drain(10));
        all.drain(10);

        rib.apply(announce(2, attrs(2, 5, -1), "203.0.113.0/24")); // worse: the best stays
        assertEquals(0, best.pending());
        assertEquals(1, all.drain(10).size());
        rib.apply(withdraw(2, "203.0.113.0/24")); // back to one path: the best stays
        assertEquals(0, best.pending());
        assertEquals(1, all.drain(10).size());
        assertEquals(1, rib.best(pfx).peer().id());

        rib.apply(announce(3, attrs(3, 1, -1), "203.0.113.0/24")); // better
        assertEquals(List.of(pfx), best.drain(10));
        assertEquals(3, rib.best(pfx).peer().id());
        assertEquals(BestPathReason.AS_PATH_LENGTH, rib.bestReason(pfx));
        rib.apply(withdraw(3, "203.0.113.0/24"));
        assertEquals(List.of(pfx), best.drain(10));
        assertEquals(1, rib.best(pfx).peer().id());
        assertEquals(BestPathReason.ONLY_PATH, rib.bestReason(pfx));

        rib.apply(List.of(announce(2, attrs(2, 5, -1), "203.0.113.0/24"), withdraw(1, "203.0.113.0/24"))); // one batch
        assertEquals(List.of(pfx), best.drain(10));
        assertEquals(2, rib.best(pfx).peer().id());
        rib.apply(withdraw(2, "203.0.113.0/24"));
        assertEquals(List.of(pfx), best.drain(10));
        assertNull(rib.best(pfx));

        Rib filtering = new Rib();
        filtering.apply(List.of(new RibEvent.PeerUp(peer(1, ImportPolicy.REJECT, ExportPolicy.ACCEPT)),
                new RibEvent.PeerUp(peer(2, ImportPolicy.REJECT, ExportPolicy.ACCEPT)), new RibEvent.PeerUp(peer(3))));
        ChangeSubscription fbest = filtering.subscribe(false, null);
        filtering.apply(announce(1, attrs(1, 2, -1), "203.0.113.0/24"));
        fbest.drain(10); // a single path reports every recompute
        filtering.apply(announce(2, attrs(2, 2, -1), "203.0.113.0/24")); // filtered next to filtered: still no best
        assertEquals(0, fbest.pending());
        filtering.apply(announce(3, attrs(3, 5, -1), "203.0.113.0/24"));
        assertEquals(List.of(pfx), fbest.drain(10));
        assertEquals(3, filtering.best(pfx).peer().id());
        assertEquals(0, rib.prefixCount(AfiSafi.IPV4_UNICAST));
        assertEquals(0, rib.routeCount());
    }

    @Test
    void aFilteredSinglePathKeepsItsReasonThroughTheRib() {
        Rib rib = new Rib();
        ImportPolicy noLong = new ImportPolicy() {
            @Override
            public String rejectReason(Prefix prefix, RouteAttributes attributes) {
                return prefix.length() > 24 ? "too specific" : null;
            }
        };
        rib.apply(new RibEvent.PeerUp(peer(1, noLong, ExportPolicy.ACCEPT)));
        List<Nlri> nlri = new ArrayList<>();
        for (int i = 0; i < 2 * Pages.PAGE; i++) nlri.add(new Nlri(Prefix.ipv4((0x0A000000 + i) << 8, i % 2 == 0 ? 24 : 25)));
        rib.apply(new RibEvent.Announce(1, nlri, A1));
        assertEquals(2 * Pages.PAGE, rib.prefixCount(AfiSafi.IPV4_UNICAST));
        Route r = rib.paths(Prefix.ipv4((0x0A000000 + 1) << 8, 25)).get(0);
        assertEquals("too specific", r.filteredReason());
        assertFalse(r.eligible());
        assertNull(rib.best(Prefix.ipv4((0x0A000000 + 1) << 8, 25)));
        assertNotNull(rib.best(Prefix.ipv4(0x0A000000 << 8, 24)));
        Rib.PathCounts c = rib.pathCounts(AfiSafi.IPV4_UNICAST).get(0);
        assertEquals(new Rib.PathCounts(1, 2 * Pages.PAGE, Pages.PAGE, Pages.PAGE, 0), c);
    }

    @Test
    void pagesNeverWrittenReadZeroAndAWriteTouchesOnlyItsOwnPage() {
        Pages.Longs l = new Pages.Longs();
        Pages.Ints n = new Pages.Ints();
        for (int i : new int[] {0, Pages.PAGE - 1, Pages.PAGE, 3 * Pages.PAGE + 5, 100 * Pages.PAGE}) {
            assertEquals(0, l.get(i));
            assertEquals(0, n.get(i));
        }
        l.set(Pages.PAGE + 1, 7); // a page in the middle
        n.set(Pages.PAGE + 1, 7);
        l.setSparse(40 * Pages.PAGE, 0); // grows nothing, allocates nothing
        l.set(50 * Pages.PAGE + 2, 9); // grows the page array
        n.set(50 * Pages.PAGE + 2, 9);
        for (int i : new int[] {0, Pages.PAGE, Pages.PAGE + 2, 2 * Pages.PAGE + 1, 49 * Pages.PAGE + 1, 50 * Pages.PAGE + 1, 51 * Pages.PAGE + 2}) {
            assertEquals(0, l.get(i), "longs " + i);
            assertEquals(0, n.get(i), "ints " + i);
        }
        assertEquals(7, l.get(Pages.PAGE + 1));
        assertEquals(7, n.get(Pages.PAGE + 1));
        assertEquals(9, l.at(50 * Pages.PAGE + 2));
        assertEquals(9, n.at(50 * Pages.PAGE + 2));
        assertEquals(9, l.pageOf(50 * Pages.PAGE + 2)[2]);
    }

    /** Random puts, removals, stale marks and settles on a few slots against a sorted map of the same paths. */
    @Test
    void randomChangesMatchASortedModel() {
        PrefixTable t = new PrefixTable(false);
        java.util.Random r = new java.util.Random(7911);
        RouteAttributes[] as = {A1, A2, A3};
        int slots = 5;
        List<java.util.TreeMap<Long, long[]>> models = new ArrayList<>(); // unsigned key -> {flags, attrs index, arrival, cost}
        for (int s = 0; s < slots; s++) {
            t.findOrAdd(Prefix.ipv4((0x0A000000 + s) << 8, 24));
            models.add(new java.util.TreeMap<>(Long::compareUnsigned));
        }
        PathSet ps = new PathSet();
        long arrival = 0;
        for (int step = 0; step < 20_000; step++) {
            int s = r.nextInt(slots);
            java.util.TreeMap<Long, long[]> m = models.get(s);
            ps.bind(t, s);
            int peer = r.nextInt(4);
            long pathId = r.nextInt(3) == 0 ? -1 : r.nextInt(3) == 0 ? 0xFFFF_FFFFL : r.nextInt(3);
            long key = PathSet.key(peer, pathId);
            switch (r.nextInt(6)) {
                case 0, 1, 2 -> {
                    int flags = r.nextInt(4) == 0 ? PathSet.FILTERED | (r.nextInt(5) << PathSet.REASON_SHIFT) : r.nextInt(3) == 0 ? PathSet.STALE : 0;
                    int ai = r.nextInt(3);
                    long cost = r.nextInt(3);
                    long[] old = m.get(key);
                    boolean same = old != null && old[1] == ai && (old[0] & ~PathSet.STALE) == (flags & ~PathSet.STALE) && old[3] == cost;
                    assertEquals(!same, ps.put(peer, pathId, flags, as[ai], ++arrival, cost));
                    m.put(key, new long[] {flags, ai, same ? old[2] : arrival, cost});
                }
                case 3 -> assertEquals(m.remove(key) != null, ps.remove(peer, pathId));
                case 4 -> {
                    boolean any = false;
                    for (java.util.Map.Entry<Long, long[]> e : m.entrySet()) {
                        if ((int) (e.getKey() >>> 48) == peer) {
                            e.getValue()[0] |= PathSet.STALE;
                            any = true;
                        }
                    }
                    assertEquals(any, ps.markStale(peer));
                }
                default -> {
                    if (r.nextBoolean()) ps.mark(); else ps.unmark();
                    ps.settle();
                }
            }
            assertEquals(m.size(), ps.size(), "step " + step);
            int i = 0;
            for (java.util.Map.Entry<Long, long[]> e : m.entrySet()) {
                long[] v = e.getValue();
                long k = e.getKey();
                assertPath(ps, i++, (int) (k >>> 48), (k & 0x1_FFFF_FFFFL) - 1, (int) v[0], as[(int) v[1]], v[2], v[3]);
            }
        }
        int nonEmpty = 0;
        for (int s = 0; s < slots; s++) {
            ps.bind(t, s).settle();
            if (!models.get(s).isEmpty()) nonEmpty++;
        }
        assertEquals(nonEmpty, t.prefixCount());
    }

    private static void assertPath(PathSet ps, int i, int peer, long pathId, int flags, RouteAttributes a, long arrival, long cost) {
        assertEquals(peer, ps.peer(i), "peer");
        assertEquals(pathId, ps.pathId(i), "path id");
        assertEquals(flags, ps.flags(i), "flags");
        assertSame(a, ps.attrs(i), "attributes");
        assertEquals(arrival, ps.arrival(i), "arrival");
        assertEquals(cost, ps.igpCost(i), "cost");
        assertEquals(arrival << 24 | cost, ps.stamp(i), "stamp");
        assertEquals(i, ps.indexOf(peer, pathId), "index");
    }
}
