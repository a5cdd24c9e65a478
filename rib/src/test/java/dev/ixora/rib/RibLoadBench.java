package dev.ixora.rib;

import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark scenario of issue 3 against the RIB alone: P peers, each announcing N /24s (4 per
 * announcement); groups of K peers announce the same prefixes with AS paths of different lengths;
 * every peer is a route-server client and drains what it is owed after each block. Prints time and
 * bytes per route; a measurement to read, never a gate:
 * {@code java -cp ... dev.ixora.rib.RibLoadBench PEERS PREFIXES_PER_PEER K ROUNDS}.
 */
public final class RibLoadBench {
    public static void main(String[] args) throws Exception {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int prefixes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        for (int round = 0; round < rounds; round++) {
            long before = MemoryPerRouteTest.heapAfterGc();
            long t0 = System.nanoTime();
            Rib rib = new Rib();
            List<RibEvent> ups = new ArrayList<>();
            ups.add(new RibEvent.PeerUp(Fixtures.peer(peers + 1))); // a monitor client that announces nothing
            RouteAttributes[] attrs = new RouteAttributes[peers];
            for (int p = 0; p < peers; p++) {
                ups.add(new RibEvent.PeerUp(Fixtures.peer(p + 1)));
                attrs[p] = Fixtures.attrs(p + 1, 1 + p % 4, -1); // one object per peer, as a session's decoder cache gives
            }
            rib.apply(ups);
            long exported = 0;
            for (int base = 0; base < prefixes; base += 4000) {
                for (int p = 0; p < peers; p++) {
                    List<RibEvent> batch = new ArrayList<>();
                    int offset = (p / k) * prefixes; // peers of one group of K share their prefixes
                    for (int q = base; q < Math.min(prefixes, base + 4000); q += 4) {
                        List<Nlri> nlri = new ArrayList<>(4);
                        for (int j = q; j < Math.min(prefixes, q + 4); j++) nlri.add(new Nlri(Prefix.ipv4((0x10000000 + offset + j) << 8, 24)));
                        batch.add(new RibEvent.Announce(p + 1, nlri, attrs[p]));
                    }
                    rib.apply(batch);
                }
                for (int c = 1; c <= peers + 1; c++) exported += rib.routeServer().drain(c, Integer.MAX_VALUE).size();
            }
            long t1 = System.nanoTime();
            long after = MemoryPerRouteTest.heapAfterGc();
            System.out.printf("round %d: %d peers x %d prefixes, K=%d: %d routes in %.2f s (%.0f routes/s), %d exported, %.1f bytes/route%n",
                    round, peers, prefixes, k, rib.routeCount(), (t1 - t0) / 1e9, rib.routeCount() / ((t1 - t0) / 1e9), exported,
                    (after - before) / (double) rib.routeCount());
        }
    }
}
