package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random churn against a model: clients drain at random moments and in random amounts (some hardly
 * ever), sessions flap; in the end what each client holds must equal, prefix by prefix, the best
 * path among the other peers' paths, computed directly from the RIB's paths.
 */
class RouteServerModelTest {
    static final int PEERS = 6;
    static final int PREFIXES = 40;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 4711})
    void whatClientsHoldMatchesTheModel(long seed) {
        Random rnd = new Random(seed);
        Rib rib = new Rib();
        RouteServerView rs = rib.routeServer();
        List<Map<Prefix, Route>> held = new ArrayList<>();
        boolean[] upNow = new boolean[PEERS + 1];
        for (int i = 0; i <= PEERS; i++) held.add(new HashMap<>());
        List<RibEvent> ups = new ArrayList<>();
        for (int n = 1; n <= PEERS; n++) {
            ups.add(new RibEvent.PeerUp(peer(n)));
            upNow[n] = true;
        }
        rib.apply(ups);
        int maxLog = 0;
        for (int step = 0; step < 3000; step++) {
            List<RibEvent> batch = new ArrayList<>();
            for (int e = rnd.nextInt(6); e >= 0; e--) {
                int n = 1 + rnd.nextInt(PEERS);
                if (!upNow[n]) continue;
                Nlri nlri = new Nlri(Prefix.ipv4((10 << 24) | (rnd.nextInt(PREFIXES) << 8), 24));
                if (rnd.nextInt(3) == 0) batch.add(new RibEvent.Withdraw(n, List.of(nlri)));
                else batch.add(new RibEvent.Announce(n, List.of(nlri), attrs(n, 1 + rnd.nextInt(4), rnd.nextInt(3))));
            }
            if (rnd.nextInt(200) == 0) { // a session flaps
                int n = 1 + rnd.nextInt(PEERS);
                if (upNow[n]) {
                    batch.add(new RibEvent.PeerDown(n, false, 0));
                    held.get(n).clear();
                } else {
                    batch.add(new RibEvent.PeerUp(peer(n)));
                }
                upNow[n] = !upNow[n];
            }
            rib.apply(batch);
            for (int c = 1; c <= PEERS; c++) {
                // client 1 almost never drains; the others at random
                if (upNow[c] && rnd.nextInt(c == 1 ? 500 : 3) == 0) receive(rs.drain(c, 1 + rnd.nextInt(30)), held.get(c));
            }
            for (UpdateGroup g : rs.groups()) maxLog = Math.max(maxLog, g.capacity());
        }
        for (int c = 1; c <= PEERS; c++) {
            if (!upNow[c]) continue;
            receive(rs.drain(c, Integer.MAX_VALUE), held.get(c));
            assertEquals(expected(rib, c), held.get(c), "client " + c + " seed " + seed);
            assertEquals(0, rs.changedSince(c));
        }
        assertTrue(maxLog <= 4 * PREFIXES + 128, "the change log stays bounded by the prefixes: " + maxLog);
    }

    private static void receive(List<ExportedRoute> routes, Map<Prefix, Route> held) {
        for (ExportedRoute e : routes) {
            if (e.withdrawal()) held.remove(e.prefix());
            else {
                assertTrue(e.route().peer() != null);
                held.put(e.prefix(), e.route());
            }
        }
    }

    /** The model: per prefix, the best eligible path from any other peer. */
    private static Map<Prefix, Route> expected(Rib rib, int client) {
        Map<Prefix, Route> out = new HashMap<>();
        DecisionProcess dp = new DecisionProcess(DecisionOptions.DEFAULTS);
        for (int i = 0; i < PREFIXES; i++) {
            Prefix p = Prefix.ipv4((10 << 24) | (i << 8), 24);
            List<Route> candidates = rib.paths(p).stream().filter(r -> r.eligible() && r.peer().id() != client).toList();
            if (candidates.isEmpty()) continue;
            PathView[] views = candidates.stream().map(r -> view(r)).toArray(PathView[]::new);
            out.put(p, candidates.get(dp.best(views, views.length)));
        }
        return out;
    }

    private static PathView view(Route r) {
        RouteAttributes a = r.attributes();
        return new TestPath(r.toString(), a.localPref(), a.asPathLength(), a.origin(), a.med(), a.neighborAs(),
                r.peer().ebgp(), r.igpCost(), 0, a.originatorId(), r.peer().routerId(), a.clusterListLength(),
                r.peer().address().getAddress(), r.pathId());
    }
}
