package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encode-once under load: six clients of one update group announce at the same time, so the rib's
 * change log interleaves them and each member skips its own routes (RFC 7947: never back to the
 * source); then some routes change while the others are still being sent. Whatever the chunks,
 * the cache and the held-back routes do, every client must end with exactly the others' routes,
 * each with its latest path; and the members must have shared encodings.
 */
class ExportSharingTest {
    private static final int CLIENTS = 6;
    private static final int PREFIXES = 1500;

    /** Prefix n of client i: 100.(64 + i).x.y/30, 4 per UPDATE. */
    private static String prefix(int client, int n) {
        return "100." + (64 + client) + "." + (n >> 6) + "." + ((n & 63) << 2) + "/30";
    }

    private static UpdateMessage announce(int client, long[] path, List<String> prefixes) {
        List<PathAttribute> l = new ArrayList<>(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(path),
                PathAttribute.NextHop.parse("127.0.0." + (31 + client))));
        return UpdateMessage.announce(l, prefixes.stream().map(Nlri::parse).toList());
    }

    @Test
    void everyClientEndsWithTheOthersLatestRoutesAndMembersShareEncodings() throws Exception {
        int port = DaemonEndToEndTest.freePort("127.0.0.1");
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < CLIENTS; i++) {
            peers.append("  - {name: p").append(i).append(", address: 127.0.0.").append(31 + i)
                    .append(", asn: ").append(65100 + i).append(", passive: true}\n");
        }
        ConfigImage config = ConfigLoader.parse("share.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1, listen: ["127.0.0.1:%d"]}
                route-server: true
                peers:
                %s""".formatted(port, peers));
        Routing routing = new Routing(config);
        Daemon daemon = new Daemon(config, Clock.systemUTC(), routing);
        daemon.start();
        List<RsClient> clients = new ArrayList<>();
        List<ByteBuf> cached;
        try {
            InetSocketAddress rs = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new RsClient("p" + i, "127.0.0." + (31 + i), 65100 + i, rs, false));
            }
            for (RsClient c : clients) c.awaitEstablishedAndEor();

            // every client: PREFIXES prefixes, 4 per UPDATE, all clients at once
            Map<Nlri, AsPath> expected = new HashMap<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                long asn = 65100 + i;
                for (int n = 0; n < PREFIXES; n++) expected.put(Nlri.parse(prefix(client, n)), AsPath.sequence(asn));
                senders.add(new Thread(() -> {
                    for (int n = 0; n < PREFIXES; n += 4) {
                        List<String> four = new ArrayList<>();
                        for (int k = n; k < n + 4; k++) four.add(prefix(client, k));
                        clients.get(client).send(announce(client, new long[] {asn}, four));
                    }
                }));
            }
            senders.forEach(Thread::start);
            for (Thread t : senders) t.join();
            // at once, while the table is still going out: p0 withdraws every third of its prefixes,
            // p1 announces every fifth of its own again with a longer path
            List<String> gone = new ArrayList<>();
            for (int n = 0; n < PREFIXES; n += 3) gone.add(prefix(0, n));
            for (int from = 0; from < gone.size(); from += 100) {
                List<String> part = gone.subList(from, Math.min(gone.size(), from + 100));
                clients.get(0).send(new UpdateMessage(part.stream().map(Nlri::parse).toList(), List.of(), List.of()));
            }
            gone.forEach(p -> expected.remove(Nlri.parse(p)));
            List<String> longer = new ArrayList<>();
            for (int n = 0; n < PREFIXES; n += 5) longer.add(prefix(1, n));
            for (int from = 0; from < longer.size(); from += 50) {
                clients.get(1).send(announce(1, new long[] {65101, 65101, 65101}, longer.subList(from, Math.min(longer.size(), from + 50))));
            }
            longer.forEach(p -> expected.put(Nlri.parse(p), AsPath.sequence(65101, 65101, 65101)));

            for (int i = 0; i < CLIENTS; i++) {
                RsClient c = clients.get(i);
                String own = "100." + (64 + i) + ".";
                Map<Nlri, AsPath> want = new HashMap<>();
                expected.forEach((n, path) -> {
                    if (!n.prefix().toString().startsWith(own)) want.put(n, path);
                });
                c.await("the others' latest routes", x -> x.table.size() == want.size() && want.entrySet().stream()
                        .allMatch(e -> x.table.containsKey(e.getKey()) && e.getValue().equals(x.table.get(e.getKey()).attr(AsPath.class))));
                routing.sync();
                Thread.sleep(100); // nothing more arrives: no stale state sent after the latest
                Map<Nlri, AsPath> got = new HashMap<>();
                c.table.forEach((n, r) -> got.put(n, r.attr(AsPath.class)));
                assertEquals(want, got, c.name);
                assertTrue(c.table.keySet().stream().noneMatch(n -> n.prefix().toString().startsWith(own)),
                        "RFC 7947: no route back to its source");
            }
            long sent = routing.read(r -> {
                long s = 0;
                for (int i = 0; i < CLIENTS; i++) s += routing.client(i).updatesSent;
                return s;
            });
            long encoded = routing.cache().encodes();
            // p0's withdrawals and p1's new paths reach the other five as the same changes in the same
            // order: those at least are shared, however the announcements interleaved (on this machine
            // about a third of the UPDATEs sent were encoded)
            assertTrue(routing.cache().sharedDrains() > 0, "members shared chunks");
            assertTrue(encoded < sent, "UPDATEs were shared, not encoded per client: " + encoded + " encoded, "
                    + sent + " sent");
        } finally {
            cached = routing.read(r -> routing.cache().held());
            for (RsClient c : clients) c.close();
            daemon.stop("test over");
        }
        for (ByteBuf buf : cached) assertEquals(0, buf.refCnt(), "encode cache buffer not released");
    }
}
