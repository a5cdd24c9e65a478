package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.p;
import static dev.ixora.rib.Fixtures.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExportedRoute} built from the packed tables: its prefix() and route() are what the rib says. */
class ExportedRouteTest {

    @Test
    void drainedRoutesEqualTheRibsRoutesForEveryFamilyAndPathId() {
        Rib rib = new Rib();
        RouteServerView rs = rib.routeServer();
        rib.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)), new RibEvent.PeerUp(peer(3))));
        List<String> prefixes = List.of("0.0.0.0/0", "10.0.0.0/8", "203.0.113.0/24", "192.0.2.1/32", "2001:db8::/32",
                "2001:db8:1:2::/64", "2001:db8::1/128", "2001:db8:8000::/33", "::/0");
        List<RibEvent> batch = new ArrayList<>();
        long pathId = 0;
        for (String s : prefixes) {
            // peer 1 with ADD-PATH ids up to the 32-bit limit, peer 2 without
            batch.add(new RibEvent.Announce(1, List.of(new Nlri(p(s), pathId == 0 ? 0xFFFF_FFFFL : pathId)), attrs(1, 1, -1)));
            batch.add(new RibEvent.Announce(2, List.of(new Nlri(p(s))), attrs(2, 3, -1)));
            pathId++;
        }
        rib.apply(batch);
        for (int client : new int[] {1, 2, 3}) {
            List<ExportedRoute> drained = rs.drain(client, Integer.MAX_VALUE);
            assertEquals(prefixes.size(), drained.size(), "client " + client);
            for (ExportedRoute e : drained) {
                Prefix prefix = e.prefix();
                assertTrue(prefixes.contains(prefix.toString()), prefix.toString());
                Route expected = rs.chosen(client, prefix);
                assertEquals(expected, e.route(), "client " + client + " " + prefix);
                assertEquals(prefix.hi(), e.prefixHi());
                assertEquals(prefix.lo(), e.prefixLo());
                assertEquals(prefix.length(), e.prefixLength());
                assertEquals(prefix.v6(), e.v6());
                assertSame(expected.attributes(), e.attributes());
                assertEquals(expected.pathId(), e.pathId());
                assertEquals(client == 1 ? 2 : 1, e.peer().id(), "never back to its source, else the best");
            }
        }
        rib.apply(List.of(new RibEvent.Withdraw(2, List.of(new Nlri(p("2001:db8::/32")))),
                new RibEvent.Withdraw(1, List.of(new Nlri(p("2001:db8::/32"), 4)))));
        List<ExportedRoute> gone = rs.drain(3, Integer.MAX_VALUE);
        assertEquals(1, gone.size());
        assertTrue(gone.get(0).withdrawal());
        assertNull(gone.get(0).route());
        assertNull(gone.get(0).peer());
        assertEquals(p("2001:db8::/32"), gone.get(0).prefix());
    }

    @Test
    void builtFromARouteItKeepsItAndEqualsByValue() {
        Prefix prefix = p("2001:db8::/48");
        Route r = new Route(prefix, peer(7), 0xFFFF_FFFFL, attrs(7, 2, 5), true, null, false, 1234);
        ExportedRoute e = new ExportedRoute(prefix, r);
        assertEquals(r, e.route());
        assertEquals(prefix, e.prefix());
        assertTrue(e.stale());
        assertEquals(1234, e.igpCost());
        assertEquals(e, new ExportedRoute(prefix, r));
        assertEquals(e.hashCode(), new ExportedRoute(prefix, r).hashCode());
        ExportedRoute w = new ExportedRoute(prefix, null);
        assertTrue(w.withdrawal());
        assertEquals(-1, w.pathId());
        assertFalse(w.stale());
        assertFalse(w.equals(e));
        assertEquals(new Route(p("10.0.0.0/8"), peer(7), -1, attrs(7, 2, 5), false, null, false, 0),
                new ExportedRoute(p("10.0.0.0/8"), new Route(p("10.0.0.0/8"), peer(7), -1, attrs(7, 2, 5), false, null, false, 0)).route());
        assertThrows(IllegalArgumentException.class,
                () -> new ExportedRoute(prefix, new Route(prefix, peer(7), -1, attrs(7, 2, 5), false, "filtered", false, 0)),
                "only eligible routes are exported");
    }

    @Test
    void aDrainThatReadsOnlyTheLogRepeatsNoPrefix() {
        java.util.Random rnd = new java.util.Random(7);
        Rib rib = new Rib();
        RouteServerView rs = rib.routeServer();
        rib.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2))));
        List<RibEvent> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) first.add(Fixtures.announce(1, attrs(1, 1, -1), "10.0." + i + ".0/24"));
        rib.apply(first);
        rib.apply(new RibEvent.PeerUp(peer(3))); // joins with a table dump to read
        assertFalse(rs.nextDrainDistinct(3), "the dump comes first");
        int distinctDrains = 0;
        for (int round = 0; round < 400; round++) {
            List<RibEvent> batch = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                int i = rnd.nextInt(40);
                int from = 1 + rnd.nextInt(2);
                batch.add(rnd.nextInt(4) == 0 ? Fixtures.withdraw(from, "10.0." + i + ".0/24")
                        : Fixtures.announce(from, attrs(from, 1 + rnd.nextInt(3), -1), "10.0." + i + ".0/24"));
            }
            rib.apply(batch);
            for (int client = 1; client <= 3; client++) {
                boolean distinct = rs.nextDrainDistinct(client);
                List<ExportedRoute> got = rs.drain(client, 1 + rnd.nextInt(30));
                if (!distinct) continue;
                distinctDrains++;
                java.util.Set<Prefix> seen = new java.util.HashSet<>();
                for (ExportedRoute e : got) assertTrue(seen.add(e.prefix()), "client " + client + " got " + e.prefix() + " twice");
            }
        }
        assertTrue(distinctDrains > 100, "exercised: " + distinctDrains);
    }

    @Test
    void aLogOfManyPagesCompactsAndEveryClientEndsWithTheCurrentChoice() {
        int prefixes = 3 * UpdateGroup.LOG_PAGE + 100;
        java.util.Random rnd = new java.util.Random(11);
        Rib rib = new Rib();
        RouteServerView rs = rib.routeServer();
        rib.apply(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)), new RibEvent.PeerUp(peer(3))));
        java.util.Map<Integer, java.util.Map<Prefix, Route>> held = new java.util.HashMap<>();
        for (int c = 1; c <= 3; c++) held.put(c, new java.util.HashMap<>());
        int maxCapacity = 0;
        for (int round = 0; round < 60; round++) {
            List<RibEvent> batch = new ArrayList<>();
            for (int k = 0; k < 400; k++) {
                int i = round < 20 ? round * 400 + k : rnd.nextInt(prefixes); // first the table, then churn all over it
                if (i >= prefixes) continue;
                String prefix = "10." + (i >> 8) + "." + (i & 255) + ".0/24";
                int from = 1 + rnd.nextInt(2);
                batch.add(rnd.nextInt(5) == 0 ? Fixtures.withdraw(from, prefix)
                        : Fixtures.announce(from, attrs(from, 1 + rnd.nextInt(3), -1), prefix));
            }
            rib.apply(batch);
            // client 1 drains a little now and then, client 2 often, client 3 only at the end
            if (round % 7 == 0) receive(rs.drain(1, 500), held.get(1));
            receive(rs.drain(2, 1 + rnd.nextInt(2000)), held.get(2));
            for (UpdateGroup g : rs.groups()) {
                assertTrue(g.capacity() <= 4 * prefixes + 128, "log capacity " + g.capacity());
                maxCapacity = Math.max(maxCapacity, g.capacity());
            }
        }
        assertTrue(maxCapacity > 2 * UpdateGroup.LOG_PAGE, "the log went past its first pages: " + maxCapacity);
        for (int c = 1; c <= 3; c++) {
            receive(rs.drain(c, Integer.MAX_VALUE), held.get(c));
            java.util.Map<Prefix, Route> expected = new java.util.HashMap<>();
            for (int i = 0; i < prefixes; i++) {
                Prefix p = p("10." + (i >> 8) + "." + (i & 255) + ".0/24");
                Route r = rs.chosen(c, p);
                if (r != null) expected.put(p, r);
            }
            assertEquals(expected, held.get(c), "client " + c);
            assertEquals(0, rs.changedSince(c));
        }
    }

    private static void receive(List<ExportedRoute> routes, java.util.Map<Prefix, Route> held) {
        for (ExportedRoute e : routes) {
            if (e.withdrawal()) held.remove(e.prefix());
            else held.put(e.prefix(), e.route());
        }
    }
}
