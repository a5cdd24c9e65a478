package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.announce;
import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.p;
import static dev.ixora.rib.Fixtures.peer;
import static dev.ixora.rib.Fixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RibTest {

    /** Merged batches (RibExecutor): a refused batch is skipped whole, the others apply, in order. */
    @Test
    void aRefusedBatchAmongMergedOnesChangesNothingAndTheOthersApply() {
        Rib rib = new Rib();
        List<List<RibEvent>> batches = List.of(
                List.of(new RibEvent.PeerUp(peer(1)), announce(1, attrs(1, 1, -1), "203.0.113.0/24")),
                List.of(announce(1, attrs(1, 2, -1), "198.51.100.0/24"), announce(9, attrs(9, 1, -1), "192.0.2.0/24")),
                List.of(new RibEvent.PeerUp(peer(2)), announce(2, attrs(2, 1, -1), "198.51.100.0/24")));
        RuntimeException[] refused = rib.applyAll(batches);
        assertNull(refused[0]);
        assertTrue(refused[1] instanceof IllegalArgumentException, "unknown peer 9 refuses its batch");
        assertNull(refused[2]);
        assertEquals(2, rib.routeCount(), "nothing of the refused batch, peer 1's route from it included");
        assertEquals(2, rib.best(p("198.51.100.0/24")).peer().id());
        assertNull(rib.applyAll(List.of(List.of(withdraw(2, "198.51.100.0/24")))), "null: every batch applied");
    }

    private final Rib rib = new Rib();

    private void up(int... peers) {
        List<RibEvent> b = new ArrayList<>();
        for (int n : peers) b.add(new RibEvent.PeerUp(peer(n)));
        rib.apply(b);
    }

    @Test
    void shortestAsPathWinsAndSaysWhy() {
        up(1, 2);
        rib.apply(List.of(announce(1, attrs(1, 3, -1), "203.0.113.0/24"), announce(2, attrs(2, 2, -1), "203.0.113.0/24")));
        Route best = rib.best(p("203.0.113.0/24"));
        assertEquals(2, best.peer().id());
        assertEquals(BestPathReason.AS_PATH_LENGTH, rib.bestReason(p("203.0.113.0/24")));
        assertEquals(2, rib.paths(p("203.0.113.0/24")).size());
        assertEquals(2, rib.routeCount());
        assertEquals(1, rib.routeCount(1));
        assertEquals(1, rib.prefixCount(AfiSafi.IPV4_UNICAST));
    }

    @Test
    void aBatchForAnUnknownPeerIsRefusedBeforeAnyChange() {
        up(1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(9, attrs(9, 1, -1), "198.51.100.0/24"))));
        assertTrue(e.getMessage().contains("unknown peer id 9"));
        assertNull(rib.best(p("203.0.113.0/24")));
        assertEquals(0, rib.routeCount());
    }

    @Test
    void attributesAreInternedAcrossPeersAndPrefixes() {
        up(1);
        rib.apply(List.of(announce(1, attrs(1, 2, 5), "203.0.113.0/24"), announce(1, attrs(1, 2, 5), "198.51.100.0/24")));
        assertSame(rib.best(p("203.0.113.0/24")).attributes(), rib.best(p("198.51.100.0/24")).attributes());
    }

    @Test
    void implicitWithdrawReplacesAndWithdrawRemoves() {
        up(1, 2);
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 2, -1), "203.0.113.0/24")));
        assertEquals(1, rib.best(p("203.0.113.0/24")).peer().id());
        rib.apply(announce(1, attrs(1, 5, -1), "203.0.113.0/24")); // same peer, same prefix: replaces
        assertEquals(2, rib.best(p("203.0.113.0/24")).peer().id());
        assertEquals(2, rib.routeCount());
        rib.apply(withdraw(2, "203.0.113.0/24"));
        assertEquals(1, rib.best(p("203.0.113.0/24")).peer().id());
        rib.apply(withdraw(1, "203.0.113.0/24"));
        assertNull(rib.best(p("203.0.113.0/24")));
        assertEquals(0, rib.prefixCount(AfiSafi.IPV4_UNICAST));
        assertEquals(0, rib.routeCount());
    }

    @Test
    void addPathKeepsSeveralPathsOfOnePeer() {
        up(1);
        RouteAttributes longer = attrs(1, 4, -1);
        RouteAttributes shorter = attrs(1, 2, -1);
        rib.apply(List.of(new RibEvent.Announce(1, List.of(new Nlri(p("2001:db8:1::/48"), 7)), longer),
                new RibEvent.Announce(1, List.of(new Nlri(p("2001:db8:1::/48"), 3)), shorter)));
        assertEquals(2, rib.paths(p("2001:db8:1::/48")).size());
        assertEquals(3, rib.best(p("2001:db8:1::/48")).pathId());
        assertEquals(1, rib.prefixCount(AfiSafi.IPV6_UNICAST));
        rib.apply(new RibEvent.Withdraw(1, List.of(new Nlri(p("2001:db8:1::/48"), 3))));
        assertEquals(7, rib.best(p("2001:db8:1::/48")).pathId());
    }

    @Test
    void importRejectKeepsTheRouteWithItsReason() {
        rib.apply(List.of(new RibEvent.PeerUp(peer(1, (prefix, a) -> prefix.length() > 24 ? "too specific" : null,
                ExportPolicy.ACCEPT))));
        rib.apply(announce(1, attrs(1, 1, -1), "203.0.113.0/25", "203.0.113.0/24"));
        assertNull(rib.best(p("203.0.113.0/25")));
        assertEquals(1, rib.best(p("203.0.113.0/24")).peer().id());
        List<Route> in = rib.adjRibIn(1, AfiSafi.IPV4_UNICAST);
        assertEquals(2, in.size());
        Route filtered = in.stream().filter(r -> r.prefix().length() == 25).findFirst().orElseThrow();
        assertEquals("too specific", filtered.filteredReason());
        assertFalse(filtered.eligible());
    }

    @Test
    void aNewImportPolicyIsReappliedToTheStoredAdjRibIn() {
        up(1, 2);
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        ChangeSubscription best = rib.subscribe(false, null);
        rib.apply(new RibEvent.PeerUp(peer(1, ImportPolicy.REJECT, ExportPolicy.ACCEPT)));
        assertEquals(2, rib.best(p("203.0.113.0/24")).peer().id());
        assertEquals("import policy: reject", rib.adjRibIn(1, AfiSafi.IPV4_UNICAST).get(0).filteredReason());
        List<ExportedRoute> changes = best.drainBest(10);
        assertEquals(1, changes.size());
        assertEquals(2, changes.get(0).route().peer().id());
        rib.apply(new RibEvent.PeerUp(peer(1)));
        assertEquals(1, rib.best(p("203.0.113.0/24")).peer().id());
    }

    @Test
    void unresolvableNextHopMakesAPathIneligible() {
        Rib r = new Rib(DecisionOptions.DEFAULTS, nh -> nh[3] == 1 ? NextHopResolver.UNRESOLVABLE : 10);
        r.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)),
                announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 9, -1), "203.0.113.0/24")));
        Route best = r.best(p("203.0.113.0/24"));
        assertEquals(2, best.peer().id());
        assertEquals(10, best.igpCost());
        assertTrue(r.paths(p("203.0.113.0/24")).get(0).unresolved());
    }

    @Test
    void nextHopsAreResolvedAgainWhenTheInteriorChanges() {
        long[] costOfPeer1 = {5};
        Rib r = new Rib(DecisionOptions.DEFAULTS, nh -> nh[3] == 1 ? costOfPeer1[0] : 10);
        r.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)),
                announce(1, attrs(1, 2, -1), "203.0.113.0/24"), announce(2, attrs(2, 2, -1), "203.0.113.0/24")));
        assertEquals(1, r.best(p("203.0.113.0/24")).peer().id());
        assertEquals(BestPathReason.IGP_COST, r.bestReason(p("203.0.113.0/24")));
        costOfPeer1[0] = 20;
        r.apply(new RibEvent.NextHopsChanged());
        assertEquals(2, r.best(p("203.0.113.0/24")).peer().id());
        costOfPeer1[0] = NextHopResolver.UNRESOLVABLE;
        r.apply(new RibEvent.NextHopsChanged());
        assertTrue(r.paths(p("203.0.113.0/24")).get(0).unresolved());
        costOfPeer1[0] = 1;
        r.apply(new RibEvent.NextHopsChanged());
        assertEquals(1, r.best(p("203.0.113.0/24")).peer().id());
        assertEquals(1, r.best(p("203.0.113.0/24")).igpCost());
    }

    @Test
    void everyInsertionOrderGivesTheSameWinner() {
        // includes a MED cycle between peers 1 and 2 (same neighbour AS) and 3 (another AS)
        RibEvent[] events = {
            announce(1, withFirstAs(attrs(1, 2, 10), 64999), "203.0.113.0/24"),
            announce(2, withFirstAs(attrs(2, 2, 20), 64999), "203.0.113.0/24"),
            announce(3, attrs(3, 2, 0), "203.0.113.0/24"),
            announce(4, attrs(4, 3, 0), "203.0.113.0/24"),
            announce(5, attrs(5, 2, 50), "203.0.113.0/24"),
        };
        Integer winner = null;
        for (List<RibEvent> order : DecisionProcessTest.permutations(List.of(events))) {
            Rib r = new Rib();
            List<RibEvent> batch = new ArrayList<>();
            for (int n = 1; n <= 5; n++) batch.add(new RibEvent.PeerUp(peer(n)));
            r.apply(batch);
            for (RibEvent e : order) r.apply(e); // one batch per route: every intermediate best is computed
            int w = r.best(p("203.0.113.0/24")).peer().id();
            if (winner == null) winner = w;
            assertEquals(winner, w, "order " + order);
        }
    }

    private static RouteAttributes withFirstAs(RouteAttributes a, long as) {
        return RouteAttributes.of(a.source().with(dev.ixora.codec.AsPath.sequence(as, 65001)), a.nextHop());
    }

    @Test
    void peerDownWithdrawsEverythingAndTheChangeStreamCoalesces() {
        up(1, 2);
        AtomicInteger notified = new AtomicInteger();
        ChangeSubscription best = rib.subscribe(false, notified::incrementAndGet);
        ChangeSubscription all = rib.subscribe(true, null);
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24", "198.51.100.0/24"),
                announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        assertEquals(1, notified.get());
        for (int i = 0; i < 100; i++) { // churn on one prefix: the pending set stays at one entry
            rib.apply(withdraw(1, "198.51.100.0/24"));
            rib.apply(announce(1, attrs(1, 1 + i % 3, -1), "198.51.100.0/24"));
        }
        assertEquals(1, notified.get(), "only the empty -> non-empty edge notifies");
        assertEquals(2, best.pending());
        assertEquals(List.of(p("203.0.113.0/24"), p("198.51.100.0/24")), best.drain(10));
        assertEquals(2, all.drain(10).size());
        rib.apply(announce(2, attrs(2, 4, -1), "203.0.113.0/24")); // a non-best path changed
        assertEquals(0, best.pending());
        assertEquals(1, all.pending());

        assertEquals(2, rib.routeCount(1));
        rib.apply(new RibEvent.PeerDown(1, false, 0));
        assertEquals(0, rib.routeCount(1));
        assertEquals(List.of(p("203.0.113.0/24"), p("198.51.100.0/24")), best.drain(10));
        assertEquals(2, rib.best(p("203.0.113.0/24")).peer().id());
        assertNull(rib.best(p("198.51.100.0/24")));
        assertEquals(1, rib.routeCount());
        assertEquals(2, notified.get());
    }

    @Test
    void fromUpdateSplitsWithdrawalsAnnouncementsAndEndOfRib() {
        up(1);
        UpdateMessage u = new UpdateMessage(Fixtures.nlri("192.0.2.0/24"),
                List.of(PathAttribute.Origin.IGP_ORIGIN, dev.ixora.codec.AsPath.sequence(64501),
                        new PathAttribute.NextHop(0xC6120001),
                        new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, new byte[16], Fixtures.nlri("2001:db8::/32"))),
                Fixtures.nlri("203.0.113.0/24"));
        List<RibEvent> events = RibEvent.fromUpdate(1, u);
        assertEquals(3, events.size());
        assertTrue(events.get(0) instanceof RibEvent.Withdraw);
        rib.apply(events);
        assertEquals(1, rib.best(p("203.0.113.0/24")).attributes().asPathLength());
        assertEquals(16, rib.best(p("2001:db8::/32")).attributes().nextHop().length);
        assertEquals(List.of(new RibEvent.EndOfRib(1, AfiSafi.IPV6_UNICAST)),
                RibEvent.fromUpdate(1, UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST)));
    }

    @Test
    void gracefulRestartKeepsStalePathsUntilEndOfRib() {
        up(1, 2);
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24", "198.51.100.0/24", "2001:db8::/32"),
                announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        ChangeSubscription best = rib.subscribe(false, null);
        rib.apply(new RibEvent.PeerDown(1, true, 120));
        assertEquals(0, best.pending(), "stale paths are still used: nothing changes");
        assertTrue(rib.best(p("203.0.113.0/24")).stale());
        long restartEpoch = rib.restartEpoch(1);

        rib.apply(List.of(new RibEvent.PeerUp(peer(1)), announce(1, attrs(1, 1, -1), "203.0.113.0/24")));
        long staleEpoch = rib.restartEpoch(1);
        assertFalse(rib.best(p("203.0.113.0/24")).stale(), "refreshed");
        assertEquals(0, best.pending(), "a refresh with the same attributes is not a change");
        rib.apply(new RibEvent.EndOfRib(1, AfiSafi.IPV4_UNICAST));
        assertNull(rib.best(p("198.51.100.0/24")), "not refreshed before End-of-RIB: swept");
        assertTrue(rib.best(p("2001:db8::/32")).stale(), "IPv6 waits for its own End-of-RIB");
        assertEquals(List.of(p("198.51.100.0/24")), best.drain(10));

        rib.apply(new RibEvent.RestartTimerExpired(1, restartEpoch));
        assertTrue(rib.best(p("2001:db8::/32")).stale(), "the peer is back: its restart timer no longer sweeps");
        rib.apply(new RibEvent.RestartTimerExpired(1, staleEpoch));
        assertNull(rib.best(p("2001:db8::/32")), "the stale-path timer of the new session does");
        assertEquals(1, rib.best(p("203.0.113.0/24")).peer().id());
    }
}
