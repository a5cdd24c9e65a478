package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.announce;
import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.p;
import static dev.ixora.rib.Fixtures.peer;
import static dev.ixora.rib.Fixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteServerViewTest {
    private final Rib rib = new Rib();
    private final RouteServerView rs = rib.routeServer();
    private final List<Integer> pendingEdges = new ArrayList<>();

    RouteServerViewTest() {
        rs.onPending(pendingEdges::add);
    }

    /** An export policy that hides one source peer: equal by value, so clients share a group. */
    record NotFrom(int peerId) implements ExportPolicy {
        public boolean permits(Prefix prefix, PeerInfo source, RouteAttributes attributes) {
            return source.id() != peerId;
        }
    }

    private void up(PeerInfo... peers) {
        List<RibEvent> b = new ArrayList<>();
        for (PeerInfo p : peers) b.add(new RibEvent.PeerUp(p));
        rib.apply(b);
    }

    /** Drains everything pending for the client: prefix -> source peer id, or -1 for a withdrawal. */
    private Map<Prefix, Integer> drain(int client) {
        Map<Prefix, Integer> out = new HashMap<>();
        for (ExportedRoute e : rs.drain(client, Integer.MAX_VALUE)) {
            out.put(e.prefix(), e.withdrawal() ? -1 : e.route().peer().id());
        }
        return out;
    }

    @Test
    void aRouteNeverGoesBackToItsSourceAndTheSourceGetsTheNextBest() {
        up(peer(1), peer(2), peer(3));
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        assertEquals(1, rs.groupCount());
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(1));
        assertEquals(Map.of(p("203.0.113.0/24"), 1), drain(2));
        assertEquals(Map.of(p("203.0.113.0/24"), 1), drain(3));

        rib.apply(withdraw(1, "203.0.113.0/24"));
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(1), "the group best moved: its unchanged choice may be re-sent");
        assertEquals(2, rs.chosen(1, p("203.0.113.0/24")).peer().id());
        assertEquals(Map.of(p("203.0.113.0/24"), -1), drain(2), "the best left is its own");
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(3));
    }

    @Test
    void pathHidingMitigationGivesEachClientTheBestItMayHave() {
        up(peer(1), peer(2), peer(3), peer(4, ImportPolicy.ACCEPT, new NotFrom(1)), peer(5, ImportPolicy.ACCEPT, new NotFrom(1)),
                peer(6, ImportPolicy.ACCEPT, ExportPolicy.REJECT));
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        assertEquals(3, rs.groupCount(), "ACCEPT, NotFrom(1) (shared by 4 and 5), REJECT");
        assertEquals(Map.of(p("203.0.113.0/24"), 1), drain(3), "the global best");
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(4), "global best hidden by policy: next best, not nothing");
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(5));
        assertEquals(Map.of(), drain(6));
        assertEquals(2, rs.chosen(4, p("203.0.113.0/24")).peer().id());
        assertEquals(1, rs.chosen(3, p("203.0.113.0/24")).peer().id());
    }

    @Test
    void aBlockedClientAccumulatesASetNotAQueue() {
        up(peer(1), peer(2), peer(3));
        for (int round = 0; round < 50; round++) {
            List<RibEvent> b = new ArrayList<>();
            for (int i = 0; i < 20; i++) b.add(announce(1 + round % 2, attrs(1 + round % 2, 1 + round % 4, -1), "10.0." + i + ".0/24"));
            rib.apply(b);
        }
        assertEquals(20, rs.changedSince(3), "one entry per prefix however often it changed");
        assertEquals(List.of(3), pendingEdges.stream().filter(c -> c == 3).toList(), "one wake-up for the blocked client");
        List<ExportedRoute> first = rs.drain(3, 15);
        assertEquals(15, first.size());
        assertEquals(5, rs.changedSince(3));
        assertEquals(5, rs.drain(3, 100).size());
        assertEquals(0, rs.changedSince(3));
    }

    @Test
    void aClientThatComesUpGetsTheWholeTableAndLeavesCleanly() {
        up(peer(1), peer(2));
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24", "198.51.100.0/24"),
                announce(2, attrs(2, 1, -1), "192.0.2.0/24")));
        up(peer(3));
        assertEquals(Map.of(p("203.0.113.0/24"), 1, p("198.51.100.0/24"), 1, p("192.0.2.0/24"), 2), drain(3));
        rib.apply(new RibEvent.PeerDown(3, false, 0));
        assertTrue(!rs.isClient(3));
        assertEquals(0, rs.changedSince(3));
        rib.apply(new RibEvent.PeerDown(1, false, 0));
        assertEquals(Map.of(), drain(2), "client 2 never drained: nothing to withdraw, and never its own prefix");
        up(peer(1));
        rib.apply(announce(1, attrs(1, 1, -1), "203.0.113.0/24"));
        assertEquals(Map.of(p("203.0.113.0/24"), 1), drain(2));
        rib.apply(new RibEvent.PeerDown(1, false, 0));
        assertEquals(Map.of(p("203.0.113.0/24"), -1), drain(2), "a peer that goes away has its routes withdrawn from the others");
        up(peer(3));
        assertEquals(Map.of(p("192.0.2.0/24"), 2), drain(3));
        assertNull(rs.chosen(3, p("203.0.113.0/24")));
    }

    @Test
    void aChangeOnlyTheSourceCanSeeReachesOnlyTheSource() {
        up(peer(1), peer(2), peer(3));
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), announce(2, attrs(2, 3, -1), "203.0.113.0/24")));
        drain(1); drain(2); drain(3);
        rib.apply(announce(2, attrs(2, 4, -1), "203.0.113.0/24")); // only client 1 uses peer 2's path
        assertEquals(Map.of(p("203.0.113.0/24"), 2), drain(1));
        assertEquals(0, rs.changedSince(2));
        assertEquals(0, rs.changedSince(3));
    }

    @Test
    void gracefulRestartKeepsTheOthersViewUntilEndOfRib() {
        up(peer(1), peer(2), peer(3));
        rib.apply(announce(1, attrs(1, 1, -1), "203.0.113.0/24", "198.51.100.0/24"));
        assertEquals(2, drain(2).size());
        rib.apply(new RibEvent.PeerDown(1, true, 120));
        assertEquals(Map.of(), drain(2), "stale routes are still sent: no withdrawal during the restart");
        assertTrue(rs.chosen(2, p("203.0.113.0/24")).stale());
        up(peer(1));
        rib.apply(List.of(announce(1, attrs(1, 1, -1), "203.0.113.0/24"), new RibEvent.EndOfRib(1, dev.ixora.codec.AfiSafi.IPV4_UNICAST)));
        assertEquals(Map.of(p("198.51.100.0/24"), -1), drain(2), "only what was not refreshed is withdrawn");
        assertEquals(Map.of(), drain(1), "the restarted client gets nothing back of its own");
    }

    @Test
    void addPathClientsGetEveryAllowedPathBestFirst() {
        up(peer(1), peer(2), peer(3), peer(4));
        rib.apply(List.of(announce(1, attrs(1, 3, -1), "203.0.113.0/24"), announce(2, attrs(2, 1, -1), "203.0.113.0/24"),
                announce(3, attrs(3, 2, -1), "203.0.113.0/24")));
        assertEquals(List.of(2, 3, 1), rs.allowedPaths(4, ExportPolicy.ACCEPT, p("203.0.113.0/24")).stream().map(r -> r.peer().id()).toList());
        assertEquals(List.of(3, 1), rs.allowedPaths(2, ExportPolicy.ACCEPT, p("203.0.113.0/24")).stream().map(r -> r.peer().id()).toList(),
                "never its own");
        assertEquals(List.of(2, 1), rs.allowedPaths(4, new NotFrom(3), p("203.0.113.0/24")).stream().map(r -> r.peer().id()).toList());
        assertEquals(List.of(), rs.allowedPaths(4, ExportPolicy.REJECT, p("203.0.113.0/24")));
    }
}
