package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.rib.ExportPolicy;
import dev.ixora.rib.Route;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route server on loopback (RFC 7947) with in-process speakers as its clients: a, b, c
 * (plain), d (ADD-PATH receive), and hand-made socket clients for the blocked-reader and graceful
 * restart cases. Client b's export policy rejects routes from c (AS 64513), for path hiding.
 * Each test uses its own prefixes, so the order tests run in does not matter.
 */
class RouteServerTest {
    private static Daemon daemon;
    private static Routing routing;
    private static InetSocketAddress rs;
    private static RsClient a;
    private static RsClient b;
    private static RsClient c;
    private static RsClient d;

    @BeforeAll
    static void start() throws Exception {
        int port = DaemonEndToEndTest.freePort("127.0.0.1");
        ConfigImage config = ConfigLoader.parse("rs.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1, listen: ["127.0.0.1:%d"]}
                route-server: true
                peers:
                  - {name: a, address: 127.0.0.11, asn: 64511, passive: true}
                  - {name: b, address: 127.0.0.12, asn: 64512, passive: true}
                  - {name: c, address: 127.0.0.13, asn: 64513, passive: true}
                  - {name: d, address: 127.0.0.14, asn: 64514, passive: true, add-path: {send: true}}
                  - {name: e, address: 127.0.0.15, asn: 64515, passive: true}
                  - {name: g, address: 127.0.0.16, asn: 64516, passive: true, families: [ipv4-unicast]}
                  - {name: slow, address: 127.0.0.17, asn: 64517, passive: true, families: [ipv4-unicast]}
                  - {name: f, address: 127.0.0.18, asn: 64518, passive: true, import: reject}
                  - {name: d2, address: 127.0.0.19, asn: 64519, passive: true, add-path: {send: true}}
                """.formatted(port));
        routing = new Routing(config, p -> p.name().equals("b")
                ? (ExportPolicy) (prefix, source, attributes) -> source.asn() != 64513
                : ExportPolicy.ACCEPT);
        daemon = new Daemon(config, Clock.systemUTC(), routing);
        daemon.start();
        rs = new InetSocketAddress("127.0.0.1", port);
        a = new RsClient("a", "127.0.0.11", 64511, rs, false);
        b = new RsClient("b", "127.0.0.12", 64512, rs, false);
        c = new RsClient("c", "127.0.0.13", 64513, rs, false);
        d = new RsClient("d", "127.0.0.14", 64514, rs, true);
        for (RsClient x : List.of(a, b, c, d)) x.awaitEstablishedAndEor();
    }

    @AfterAll
    static void stop() {
        List<ByteBuf> cached = routing.read(r -> routing.cache().held());
        for (RsClient x : new RsClient[] {a, b, c, d}) if (x != null) x.close();
        daemon.stop("test over");
        for (ByteBuf buf : cached) assertEquals(0, buf.refCnt(), "encode cache buffer not released");
    }

    private static final byte[] UNKNOWN_VALUE = {1, 2, 3, (byte) 0xFE};

    private static List<PathAttribute> attrs(long... path) {
        return new ArrayList<>(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(path)));
    }

    private static UpdateMessage v4(String nextHop, List<PathAttribute> attrs, String... prefixes) {
        List<PathAttribute> l = new ArrayList<>(attrs);
        l.add(PathAttribute.NextHop.parse(nextHop));
        return UpdateMessage.announce(l, List.of(prefixes).stream().map(Nlri::parse).toList());
    }

    private static UpdateMessage withdraw(String... prefixes) {
        return new UpdateMessage(List.of(prefixes).stream().map(Nlri::parse).toList(), List.of(), List.of());
    }

    @Test
    void routesPassTransparentlyAndNeverBackToTheSender() throws Exception {
        List<PathAttribute> l = attrs(64511, 65001);
        l.add(new PathAttribute.Med(50));
        l.add(new PathAttribute.Communities(new int[] {(64511 << 16) | 7, 0xFFFFFF01}));
        l.add(PathAttribute.LargeCommunities.of(64511, 1, 2));
        l.add(new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE, 99, UNKNOWN_VALUE));
        l.add(new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL, 98, new byte[] {9}));
        a.send(v4("127.0.0.11", l, "203.0.113.0/24"));
        byte[] v6NextHop = Prefix.parse("2001:db8:a::11/128").addressBytes();
        a.send(new UpdateMessage(List.of(), List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64511),
                new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, v6NextHop, List.of(Nlri.parse("2001:db8:a::/48")))), List.of()));
        for (RsClient x : List.of(b, c)) {
            x.awaitRoute("203.0.113.0/24");
            RsClient.Received r = x.route("203.0.113.0/24");
            // RFC 7947 section 2.2: our AS 64500 not prepended, NEXT_HOP, MED, communities unchanged
            assertEquals(AsPath.sequence(64511, 65001), r.attr(AsPath.class), x.name);
            assertArrayEquals(new byte[] {127, 0, 0, 11}, r.nextHop());
            assertEquals(new PathAttribute.Med(50), r.attr(PathAttribute.Med.class));
            assertArrayEquals(new int[] {(64511 << 16) | 7, 0xFFFFFF01}, r.attr(PathAttribute.Communities.class).values());
            assertEquals(PathAttribute.LargeCommunities.of(64511, 1, 2), r.attr(PathAttribute.LargeCommunities.class));
            assertNull(r.attr(PathAttribute.LocalPref.class), "LOCAL_PREF is not sent to eBGP clients");
            PathAttribute.UnknownAttribute u = r.unknown(99);
            assertNotNull(u, "unknown optional transitive attribute passed on");
            assertArrayEquals(UNKNOWN_VALUE, u.value());
            assertEquals(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL, u.flags());
            assertNull(r.unknown(98), "unknown optional non-transitive attribute is not passed on");
            x.awaitRoute("2001:db8:a::/48");
            assertArrayEquals(v6NextHop, x.route("2001:db8:a::/48").nextHop());
            assertEquals(AsPath.sequence(64511), x.route("2001:db8:a::/48").attr(AsPath.class));
        }
        // a marker from c sent after a's routes: once a has it, a has seen everything before it
        c.send(v4("127.0.0.13", attrs(64513), "198.51.100.128/25"));
        a.awaitRoute("198.51.100.128/25");
        assertNull(a.route("203.0.113.0/24"), "a route never goes back to the client it came from");
        assertNull(a.route("2001:db8:a::/48"));

        // a withdrawal disappears from all
        a.send(withdraw("203.0.113.0/24"));
        b.awaitGone("203.0.113.0/24");
        c.awaitGone("203.0.113.0/24");
        d.await("withdrawal", x -> x.table.keySet().stream().noneMatch(n -> n.prefix().equals(Prefix.parse("203.0.113.0/24"))));
    }

    @Test
    void aClientThatDisconnectsHasItsRoutesRemovedFromTheOthers() throws Exception {
        try (RsClient e = new RsClient("e", "127.0.0.15", 64515, rs, false)) {
            e.awaitEstablishedAndEor();
            e.send(v4("127.0.0.15", attrs(64515), "192.0.2.0/24"));
            a.awaitRoute("192.0.2.0/24");
            c.awaitRoute("192.0.2.0/24");
        }
        a.awaitGone("192.0.2.0/24");
        c.awaitGone("192.0.2.0/24");
    }

    @Test
    void aPeerSendingFasterThanTheRibIsPausedAndNothingIsLost() throws Exception {
        routing.pauseAt = 0; // every UPDATE pauses its session until the RIB thread has caught up
        try {
            long before = routing.pauses.get();
            for (int u = 0; u < 200; u++) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) batch.add("172.16." + u + "." + (i * 16) + "/28");
                a.send(v4("127.0.0.11", attrs(64511, 65100 + u), batch.toArray(new String[0])));
            }
            c.await("all 2000 routes", x -> x.table.keySet().stream().filter(n -> n.prefix().toString().startsWith("172.16.")).count() == 2000);
            assertTrue(routing.pauses.get() > before, "the session was paused");
            for (int u = 0; u < 200; u++) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) batch.add("172.16." + u + "." + (i * 16) + "/28");
                a.send(withdraw(batch.toArray(new String[0])));
            }
            c.await("all withdrawn", x -> x.table.keySet().stream().noneMatch(n -> n.prefix().toString().startsWith("172.16.")));
        } finally {
            routing.pauseAt = Routing.PAUSE_AT;
        }
    }

    /**
     * Random announcements and withdrawals from a, b and c over 100 prefixes, in three rounds; after
     * each round every client's table must equal what an independent model says it should hold:
     * per prefix the shortest AS path among the other clients' routes its policy allows (b never
     * sees c's), and for d (ADD-PATH) all of them. AS path lengths differ per prefix, so the
     * decision is the AS_PATH step alone.
     */
    @Test
    void randomChangesConvergeToThePerClientModel() throws Exception {
        java.util.Random random = new java.util.Random(7947);
        RsClient[] senders = {a, b, c};
        int n = 100;
        Integer[][] length = new Integer[n][3]; // [prefix][sender] AS path length, null = not announced
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < n; k++) {
                List<Integer> lengths = new ArrayList<>(List.of(1, 2, 3));
                java.util.Collections.shuffle(lengths, random);
                for (int s = 0; s < 3; s++) {
                    String prefix = "100.100." + k + ".0/24";
                    if (random.nextInt(3) == 0) {
                        length[k][s] = null;
                        senders[s].send(withdraw(prefix));
                    } else {
                        length[k][s] = lengths.get(s);
                        long[] path = new long[lengths.get(s)];
                        java.util.Arrays.fill(path, senders[s].asn);
                        senders[s].send(v4("127.0.0." + (11 + s), attrs(path), prefix));
                    }
                }
            }
            for (int x = 0; x < 4; x++) {
                RsClient client = new RsClient[] {a, b, c, d}[x];
                int self = x;
                client.await("round " + round + " model", cl -> {
                    for (int k = 0; k < n; k++) {
                        Prefix p = Prefix.parse("100.100." + k + ".0/24");
                        Set<AsPath> held = new HashSet<>();
                        cl.table.forEach((nlri, r) -> {
                            if (nlri.prefix().equals(p)) held.add(r.attr(AsPath.class));
                        });
                        Set<AsPath> allowed = new HashSet<>();
                        AsPath best = null;
                        int bestLength = Integer.MAX_VALUE;
                        for (int s = 0; s < 3; s++) {
                            if (s == self || length[k][s] == null || (self == 1 && s == 2)) continue;
                            long[] path = new long[length[k][s]];
                            java.util.Arrays.fill(path, senders[s].asn);
                            allowed.add(AsPath.sequence(path));
                            if (length[k][s] < bestLength) {
                                bestLength = length[k][s];
                                best = AsPath.sequence(path);
                            }
                        }
                        Set<AsPath> expected = self == 3 ? allowed : best == null ? Set.of() : Set.of(best);
                        if (!held.equals(expected)) return false;
                    }
                    return true;
                });
            }
        }
    }

    @Test
    void importRejectKeepsTheRouteVisibleWithItsReasonAndExportsNothing() throws Exception {
        try (RsClient f = new RsClient("f", "127.0.0.18", 64518, rs, false)) {
            f.awaitEstablishedAndEor();
            f.send(v4("127.0.0.18", attrs(64518), "192.0.2.128/25"));
            c.send(v4("127.0.0.13", attrs(64513), "192.0.2.192/26")); // a marker after f's route
            a.awaitRoute("192.0.2.192/26");
            f.awaitRoute("192.0.2.192/26"); // f still receives: only its import is reject
            Prefix p = Prefix.parse("192.0.2.128/25");
            List<Route> paths = routing.read(r -> r.paths(p));
            assertEquals(1, paths.size(), "kept in f's Adj-RIB-In");
            assertEquals("import policy: reject (peer f)", paths.get(0).filteredReason());
            assertNull(routing.read(r -> r.best(p)));
            assertNull(a.route("192.0.2.128/25"), "a filtered route is not exported");
            assertNull(b.route("192.0.2.128/25"));
        }
    }

    @Test
    void aPathHoldingOurOwnAsIsALoopKeptVisibleButNeverExported() throws Exception {
        // RFC 4271 section 9.1.2: 64500 is the route server's own AS
        c.send(v4("127.0.0.13", attrs(64513, 64500, 65010), "192.0.2.64/27"));
        c.send(v4("127.0.0.13", attrs(64513), "192.0.2.96/27")); // a marker after the looped route
        a.awaitRoute("192.0.2.96/27");
        Prefix p = Prefix.parse("192.0.2.64/27");
        List<Route> paths = routing.read(r -> r.paths(p));
        assertEquals(1, paths.size(), "kept in c's Adj-RIB-In");
        assertEquals("as-path loop: contains our AS 64500 (RFC 4271 section 9.1.2)", paths.get(0).filteredReason());
        assertNull(routing.read(r -> r.best(p)));
        assertNull(a.route("192.0.2.64/27"), "a looped route is not exported");
        assertNull(b.route("192.0.2.64/27"));
    }

    @Test
    void pathHidingEachClientGetsTheBestPathItsPolicyAllows() throws Exception {
        // c's path is shorter (the global best); b's export policy rejects routes from c
        c.send(v4("127.0.0.13", attrs(64513), "198.18.100.0/24"));
        a.send(v4("127.0.0.11", attrs(64511, 65001, 65002), "198.18.100.0/24"));
        d.await("two paths", x -> x.table.keySet().stream().filter(n -> n.prefix().equals(Prefix.parse("198.18.100.0/24"))).count() == 2);
        b.awaitRoute("198.18.100.0/24");
        assertEquals(AsPath.sequence(64511, 65001, 65002), b.route("198.18.100.0/24").attr(AsPath.class),
                "b gets the second best, not nothing (RFC 7947 section 2.3.1)");
        // a gets c's path (the best), c gets a's (its own is never sent back)
        a.await("c's path", x -> x.route("198.18.100.0/24") != null
                && x.route("198.18.100.0/24").attr(AsPath.class).equals(AsPath.sequence(64513)));
        c.await("a's path", x -> x.route("198.18.100.0/24") != null
                && x.route("198.18.100.0/24").attr(AsPath.class).equals(AsPath.sequence(64511, 65001, 65002)));
        // when a's path goes, b has nothing it may see, and c nothing but its own
        a.send(withdraw("198.18.100.0/24"));
        b.awaitGone("198.18.100.0/24");
        c.awaitGone("198.18.100.0/24");
        assertNotNull(a.route("198.18.100.0/24"));
    }

    @Test
    void addPathSendGivesEveryAllowedPathWithItsOwnId() throws Exception {
        a.send(v4("127.0.0.11", attrs(64511), "198.18.101.0/24"));
        b.send(v4("127.0.0.12", attrs(64512, 65002), "198.18.101.0/24"));
        c.send(v4("127.0.0.13", attrs(64513, 65003, 65003), "198.18.101.0/24"));
        Prefix p = Prefix.parse("198.18.101.0/24");
        d.await("three paths", x -> x.table.keySet().stream().filter(n -> n.prefix().equals(p)).count() == 3);
        Set<Long> ids = new HashSet<>();
        Set<AsPath> paths = new HashSet<>();
        d.table.forEach((n, r) -> {
            if (n.prefix().equals(p)) {
                ids.add(n.pathId());
                paths.add(r.attr(AsPath.class));
            }
        });
        assertEquals(3, ids.size(), "distinct path ids");
        assertEquals(Set.of(AsPath.sequence(64511), AsPath.sequence(64512, 65002), AsPath.sequence(64513, 65003, 65003)), paths);
        b.send(withdraw("198.18.101.0/24"));
        d.await("two paths left", x -> x.table.keySet().stream().filter(n -> n.prefix().equals(p)).count() == 2);
        // a client without ADD-PATH gets one path: the best
        c.await("best", x -> x.route("198.18.101.0/24") != null && x.route("198.18.101.0/24").attr(AsPath.class).equals(AsPath.sequence(64511)));
        // an ADD-PATH client that comes later gets every path in its initial table
        try (RsClient d2 = new RsClient("d2", "127.0.0.19", 64519, rs, true)) {
            d2.awaitEstablishedAndEor();
            assertEquals(2, d2.table.keySet().stream().filter(n -> n.prefix().equals(p)).count());
        }
    }

    @Test
    void clientsOfOneUpdateGroupShareOneEncoding() throws Exception {
        // a and c: same export policy, same wire format, same style: one update group
        int group = routing.read(r -> r.routeServer().groupOf(routing.id("a")));
        int groupC = routing.read(r -> r.routeServer().groupOf(routing.id("c")));
        assertEquals(group, groupC);
        int groupB = routing.read(r -> r.routeServer().groupOf(routing.id("b")));
        assertFalse(group == groupB, "b has its own policy");
        long sharedBefore = routing.cache().sharedDrains();
        List<PathAttribute> l = attrs(64512);
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < 64; i++) prefixes.add("100.64." + i + ".0/24");
        b.send(v4("127.0.0.12", l, prefixes.toArray(new String[0])));
        for (String p : prefixes) {
            a.awaitRoute(p);
            c.awaitRoute(p);
        }
        assertTrue(routing.cache().sharedDrains() > sharedBefore, "c's UPDATE was a's buffer, not a new encoding");
        // 64 NLRI with one attribute set fit one UPDATE
        UpdateMessage first;
        synchronized (a.log) {
            first = a.log.stream().filter(u -> u.nlri().contains(Nlri.parse("100.64.0.0/24"))).findFirst().orElseThrow();
        }
        assertEquals(64, first.nlri().size());
    }

    /** Prefix n of the blocked-client test: 10.0.0.0/8 host routes. */
    private static String host(int n) {
        return "10." + (n >> 16) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF) + "/32";
    }

    @Test
    void aBlockedClientDoesNotQueueAndCatchesUp() throws Exception {
        // 3000 routes, each with its own 3000-byte attribute: about 9 MB of UPDATEs to the slow
        // client, more than the kernel's socket buffers (tcp_wmem max 4 MB) and Netty's 64 KB
        int prefixes = 3000;
        try (RawClient slow = RawClient.connect("127.0.0.17", 64517, rs, 2048, null)) {
            slow.readUntilEndOfRib(); // the initial table (whatever other tests left), then End-of-RIB
            int id = routing.id("slow");
            for (int n = 0; n < prefixes; n++) { // then it stops reading
                byte[] big = new byte[3000];
                big[0] = (byte) (n >> 8);
                big[1] = (byte) n;
                List<PathAttribute> l = attrs(64511);
                l.add(new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE, 200, big));
                a.send(v4("127.0.0.11", l, host(n)));
            }
            c.await("all of a's routes", x -> x.route(host(prefixes - 1)) != null);
            // c has everything; slow's socket is full: what it is owed waits in the rib as a set of
            // prefixes (bounded by the table), not as queued UPDATEs
            long sent = routing.read(r -> routing.client(id).updatesSent);
            int owed = routing.read(r -> r.routeServer().changedSince(id));
            assertTrue(owed > 0, "the blocked client is owed prefixes");
            assertTrue(owed <= prefixes + 100, "owed is a set of prefixes: " + owed);
            assertTrue(sent < prefixes, "writing stopped while the socket was full: " + sent + " UPDATEs");
            // reading again: it catches up with everything
            Set<Nlri> got = slow.readUntil(n -> n.prefix().toString().startsWith("10."), prefixes);
            assertTrue(got.contains(Nlri.parse(host(prefixes - 1))));
            int left = routing.read(r -> r.routeServer().changedSince(id));
            assertEquals(0, left);
        }
        for (int from = 0; from < prefixes; from += 500) {
            List<String> chunk = new ArrayList<>();
            for (int n = from; n < from + 500; n++) chunk.add(host(n));
            a.send(withdraw(chunk.toArray(new String[0])));
        }
        c.awaitGone(host(prefixes - 1));
    }

    @Test
    void gracefulRestartHelperKeepsStaleRoutesUntilEndOfRibOrTimeout() throws Exception {
        Prefix p = Prefix.parse("198.18.102.0/24");
        // 1: the peer drops the connection, comes back, sends its table again without p and End-of-RIB
        RawClient g = RawClient.connect("127.0.0.16", 64516, rs, 0, 120);
        g.send(v4("127.0.0.16", attrs(64516), "198.18.102.0/24", "198.18.103.0/24"));
        b.awaitRoute("198.18.102.0/24");
        g.drop();
        awaitStale(p, true);
        assertNotNull(b.route("198.18.102.0/24"), "kept while the peer restarts (RFC 4724 section 4.2)");
        g = RawClient.connect("127.0.0.16", 64516, rs, 0, 120);
        g.send(v4("127.0.0.16", attrs(64516), "198.18.103.0/24"));
        awaitStale(Prefix.parse("198.18.103.0/24"), false);
        assertNotNull(b.route("198.18.102.0/24"), "stale until End-of-RIB");
        g.send(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
        b.awaitGone("198.18.102.0/24");
        assertNotNull(b.route("198.18.103.0/24"), "refreshed route stays");

        // 2: the peer drops and does not come back within its restart time (2 s)
        g.drop();
        g = RawClient.connect("127.0.0.16", 64516, rs, 0, 2);
        g.drop();
        awaitStale(Prefix.parse("198.18.103.0/24"), true);
        b.awaitGone("198.18.103.0/24"); // swept when the timer fires

        // 3: back without Graceful Restart: its stale routes go at once, no End-of-RIB needed
        g = RawClient.connect("127.0.0.16", 64516, rs, 0, 120);
        g.send(v4("127.0.0.16", attrs(64516), "198.18.104.0/24"));
        b.awaitRoute("198.18.104.0/24");
        g.drop();
        awaitStale(Prefix.parse("198.18.104.0/24"), true);
        g = RawClient.connect("127.0.0.16", 64516, rs, 0, null);
        b.awaitGone("198.18.104.0/24");
        g.close();
    }

    private static void awaitStale(Prefix p, boolean stale) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Route> paths = routing.read(r -> r.paths(p));
            if (!paths.isEmpty() && paths.get(0).stale() == stale) return;
            Thread.sleep(20);
        }
        throw new AssertionError(p + " never became " + (stale ? "stale" : "fresh"));
    }
}
