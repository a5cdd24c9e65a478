package dev.ixora.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Bytes per route, measured (DESIGN.md: "measure bytes per route, do not guess"): heap used after GC
 * with the RIB loaded minus before, divided by routes. Printed; only a generous bound is asserted,
 * never a time.
 */
class MemoryPerRouteTest {
    static final Path BVIEW = Path.of(System.getProperty("ixora.mrt.dir", "/work/shared/data/mrt"), "bview.20020722.2337.gz");

    @Test
    void realTableDumpThroughTheCodec() throws Exception {
        assertTrue(Files.exists(BVIEW), "MRT test data missing: " + BVIEW);
        long before = heapAfterGc();
        long start = System.nanoTime();
        Rib rib = new Rib();
        Map<Integer, Integer> peerIds = new HashMap<>();
        long[] applyNanos = {0};
        List<RibEvent> batch = new ArrayList<>();
        int refused;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(BVIEW)))) {
            refused = MrtTableDumpV1.read(in, (e, n) -> {
                Integer id = peerIds.get(e.peerAddress());
                if (id == null) {
                    id = peerIds.size();
                    peerIds.put(e.peerAddress(), id);
                    batch.add(new RibEvent.PeerUp(peer(id, e.peerAddress(), e.peerAs(), false)));
                }
                batch.addAll(RibEvent.fromUpdate(id, e.update()));
                if (batch.size() >= 1000) {
                    long t0 = System.nanoTime();
                    rib.apply(batch);
                    applyNanos[0] += System.nanoTime() - t0;
                    batch.clear();
                }
            });
        }
        rib.apply(batch);
        batch.clear();
        long loaded = System.nanoTime();
        long routes = rib.routeCount();
        long after = heapAfterGc();
        double perRoute = (after - before) / (double) routes;
        java.util.Set<RouteAttributes> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int id = 0; id < peerIds.size(); id++) for (Route r : rib.adjRibIn(id, AfiSafi.IPV4_UNICAST)) distinct.add(r.attributes());
        System.out.printf("rib memory: MRT %s: %d routes, %d prefixes, %d peers, %d distinct attribute sets, %d refused by the codec,"
                        + " %.1f bytes/route (load %.1f s of which RIB %.1f s, reported, not asserted)%n",
                BVIEW.getFileName(), routes, rib.prefixCount(AfiSafi.IPV4_UNICAST), peerIds.size(), distinct.size(), refused,
                perRoute, (loaded - start) / 1e9, applyNanos[0] / 1e9);
        assertTrue(routes > 100_000, "routes loaded: " + routes);
        assertEquals(routes, rib.adjRibIn(0, AfiSafi.IPV4_UNICAST).size() + otherPeers(rib, peerIds.size()));
        assertTrue(perRoute < 400, "bytes/route " + perRoute);
        assertTrue(rib.prefixCount(AfiSafi.IPV4_UNICAST) > 10_000);
    }

    private static long otherPeers(Rib rib, int peers) {
        long n = 0;
        for (int id = 1; id < peers; id++) n += rib.adjRibIn(id, AfiSafi.IPV4_UNICAST).size();
        return n;
    }

    /** The 1 peer x 1,000,000 /24 scenario of the benchmark, with one route-server client watching. */
    @Test
    void oneMillionPrefixesFromOnePeer() throws Exception {
        long before = heapAfterGc();
        Rib rib = new Rib();
        rib.apply(List.of(new RibEvent.PeerUp(peer(0, 0xC6120001, 64501, true)), new RibEvent.PeerUp(peer(1, 0xC6120002, 64502, true))));
        int n = 1_000_000;
        for (int base = 0; base < n; base += 4000) {
            List<RibEvent> batch = new ArrayList<>();
            for (int k = base; k < base + 4000; k += 4) {
                List<Nlri> nlri = new ArrayList<>(4);
                for (int j = k; j < k + 4; j++) nlri.add(new Nlri(Prefix.ipv4((0x10000000 + j) << 8, 24)));
                batch.add(new RibEvent.Announce(0, nlri, Fixtures.attrs(0, 1 + (k / 4) % 8, -1)));
            }
            rib.apply(batch);
        }
        long after = heapAfterGc();
        double perRoute = (after - before) / (double) rib.routeCount();
        System.out.printf("rib memory: synthetic 1 peer x %d /24: %.1f bytes/route (1 route-server client)%n", n, perRoute);
        assertEquals(n, rib.routeCount());
        assertEquals(n, rib.routeServer().changedSince(1));
        assertTrue(perRoute < 300, "bytes/route " + perRoute);
    }

    private static PeerInfo peer(int id, int address, int as, boolean client) {
        try {
            byte[] a = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
            return new PeerInfo(id, InetAddress.getByAddress(a), as, Integer.toUnsignedLong(address), true, client,
                    ImportPolicy.ACCEPT, ExportPolicy.ACCEPT);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
