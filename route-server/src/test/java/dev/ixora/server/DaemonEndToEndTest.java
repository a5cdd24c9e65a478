package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.fsm.SessionEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon on loopback against an in-process neighbor speaker (127.0.0.2): the neighbor gets the
 * configured routes with the right attributes, the daemon's API shows the neighbor's route, and
 * stopping (in-process, and SIGTERM to a real process) sends the neighbor Cease / Administrative
 * Shutdown (RFC 4486 subcode 2).
 */
class DaemonEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    private String config(int bgpPort, int neighborPort, int apiPort) {
        return """
                router:
                  asn: 64500
                  router-id: 198.18.0.1
                  listen: ["127.0.0.1:%d"]
                  hold-time: 30
                peers:
                  - name: n1
                    address: 127.0.0.2
                    port: %d
                    local-address: 127.0.0.1
                    asn: 64501
                    connect-retry: 1
                  - name: silent
                    address: 127.0.0.3
                    asn: 64503
                    passive: true
                announce:
                  - prefix: 203.0.113.0/24
                    communities: ["64500:1", no-export]
                    large-communities: ["64500:1:2"]
                    med: 10
                  - prefix: 2001:db8:1::/48
                    next-hop: 2001:db8::1
                  - prefix: 2001:db8:2::/48
                api:
                  listen: "127.0.0.1:%d"
                """.formatted(bgpPort, neighborPort, apiPort);
    }

    private static Map<?, ?> api(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return (Map<?, ?>) Json.parse(r.body());
    }

    /** Polls the API until the neighbor's route shows (the session and UPDATE are asynchronous). */
    private static Map<?, ?> awaitRoute(int apiPort) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<?> routes = (List<?>) api(apiPort, "/api/v1/routes?peer=n1").get("routes");
                if (!routes.isEmpty()) return (Map<?, ?>) routes.get(0);
            } catch (IOException e) {
                // not listening yet (process test)
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the daemon's API never showed the neighbor's route");
    }

    private static void assertReceivedAnnouncements(Neighbor n) throws InterruptedException {
        List<UpdateMessage> updates = new ArrayList<>();
        while (updates.stream().noneMatch(u -> u.endOfRibFamily().equals(Optional.of(AfiSafi.IPV6_UNICAST)))) {
            updates.add(n.await(SessionEvent.UpdateReceived.class, e -> true, WAIT).update());
        }
        UpdateMessage v4 = updates.stream().filter(u -> !u.nlri().isEmpty()).findFirst().orElseThrow();
        assertEquals(List.of(Nlri.parse("203.0.113.0/24")), v4.nlri());
        assertEquals(Optional.of(PathAttribute.Origin.IGP_ORIGIN), v4.attribute(PathAttribute.Origin.class));
        assertEquals(Optional.of(AsPath.sequence(64500)), v4.attribute(AsPath.class));
        // No next-hop configured: the daemon's end of the session.
        assertEquals(Optional.of(PathAttribute.NextHop.parse("127.0.0.1")), v4.attribute(PathAttribute.NextHop.class));
        assertEquals(Optional.of(new PathAttribute.Med(10)), v4.attribute(PathAttribute.Med.class));
        assertArrayEquals(new int[] {(64500 << 16) | 1, 0xFFFFFF01},
                v4.attribute(PathAttribute.Communities.class).orElseThrow().values());
        assertEquals(Optional.of(PathAttribute.LargeCommunities.of(64500, 1, 2)),
                v4.attribute(PathAttribute.LargeCommunities.class));
        List<PathAttribute.MpReach> v6 = updates.stream().map(u -> u.attribute(PathAttribute.MpReach.class))
                .flatMap(Optional::stream).toList();
        // 2001:db8:2::/48 has no next-hop and the session is IPv4: skipped with a warning.
        assertEquals(1, v6.size(), v6.toString());
        assertEquals(List.of(Nlri.parse("2001:db8:1::/48")), v6.get(0).nlri());
        assertArrayEquals(Addresses.parse("2001:db8::1").getAddress(), v6.get(0).nextHop());
        assertTrue(updates.stream().anyMatch(u -> u.endOfRibFamily().equals(Optional.of(AfiSafi.IPV4_UNICAST))));
    }

    private static void assertShownRoute(Map<?, ?> route) {
        assertEquals(Neighbor.ROUTE, route.get("prefix"));
        assertEquals("127.0.0.2", route.get("next_hop"));
        assertEquals("64501 65000", route.get("as_path"));
        assertEquals("IGP", route.get("origin"));
        assertEquals(List.of("64501:7"), route.get("communities"));
        assertEquals(List.of(Map.of("type", 99L, "flags", 0xC0L, "value", "010203")), route.get("unknown_attributes"));
    }

    private static void assertAdministrativeShutdown(Neighbor n) throws InterruptedException {
        SessionEvent.Down down = n.await(SessionEvent.Down.class, e -> e.notification() != null, WAIT);
        assertEquals(6, down.notification().code(), down.toString());
        assertEquals(NotificationMessage.CEASE_ADMIN_SHUTDOWN, down.notification().subcode(), down.toString());
        assertEquals(Optional.of(RunCommand.SHUTDOWN_REASON), down.notification().shutdownMessage());
    }

    @Test
    void inProcess() throws Exception {
        int bgpPort = freePort("127.0.0.1");
        int neighborPort = freePort("127.0.0.2");
        int apiPort = freePort("127.0.0.1");
        ConfigImage config = ConfigLoader.parse("e2e.yaml", config(bgpPort, neighborPort, apiPort));
        try (Neighbor n = new Neighbor("127.0.0.2", neighborPort, new InetSocketAddress("127.0.0.1", bgpPort))) {
            Daemon daemon = new Daemon(config, Clock.systemUTC());
            try {
                daemon.start();
                assertReceivedAnnouncements(n);
                assertShownRoute(awaitRoute(apiPort));
                List<?> peers = (List<?>) api(apiPort, "/api/v1/peers").get("peers");
                Map<?, ?> n1 = (Map<?, ?>) peers.get(0);
                assertEquals("Established", n1.get("state"));
                assertEquals(Map.of("ipv4-unicast", 1L, "ipv6-unicast", 0L), n1.get("prefixes_received"));
                assertTrue(((String) n1.get("local_address")).startsWith("127.0.0.1:"), n1.toString());
                Map<?, ?> silent = (Map<?, ?>) peers.get(1);
                assertTrue(List.of("Idle", "Active").contains(silent.get("state")), silent.toString());
            } finally {
                daemon.stop(RunCommand.SHUTDOWN_REASON);
            }
            assertAdministrativeShutdown(n);
        }
    }

    @Test
    void sigtermGivesTheNeighborACeaseAndExitsZero() throws Exception {
        int bgpPort = freePort("127.0.0.1");
        int neighborPort = freePort("127.0.0.2");
        int apiPort = freePort("127.0.0.1");
        Path file = dir.resolve("ixora.yaml");
        Files.writeString(file, config(bgpPort, neighborPort, apiPort));
        Path log = dir.resolve("ixora.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Ixora.class.getName(),
                "run", "--config", file.toString(), "--log-level", "debug")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Neighbor n = new Neighbor("127.0.0.2", neighborPort, new InetSocketAddress("127.0.0.1", bgpPort))) {
            assertReceivedAnnouncements(n);
            assertShownRoute(awaitRoute(apiPort));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the daemon did not exit after SIGTERM");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            assertAdministrativeShutdown(n);
            assertTrue(output.contains("peer=n1 as=64501 end-of-rib ipv4-unicast prefixes=1"), output);
            assertTrue(output.contains("peer=n1 as=64501 update announced=1 withdrawn=0"), output);
            assertTrue(output.contains("announce 2001:db8:2::/48 skipped: no IPv6 next hop"), output);
            assertTrue(output.contains("received SIGTERM"), output);
        } finally {
            p.destroyForcibly();
        }
    }
}
