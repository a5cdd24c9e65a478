package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.codec.AfiSafi;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.conf.PeerConfig;
import dev.ixora.fsm.NegotiatedSession;
import dev.ixora.fsm.Reason;
import dev.ixora.fsm.SessionEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over a hand-filled state, and {@code ixora show} reading it. */
class ApiAndShowTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private DaemonState state;
    private PeerConfig bird1;
    private NegotiatedSession session;
    private ApiServer api;
    private String apiAddress;

    @BeforeEach
    void start() throws Exception {
        ConfigImage config = ConfigLoader.parse("t.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1}
                peers:
                  - {name: bird1, address: 198.18.1.1, asn: 64501, description: "first bird"}
                  - {name: frr1, address: "2001:db8::2", asn: 64502}
                """);
        TestClock clock = new TestClock(T0);
        state = new DaemonState(config, clock);
        OpenMessage open = new OpenMessage(4, 64501, 90, 0xC6120101L, List.of());
        NegotiatedSession session = new NegotiatedSession(64501, 0xC6120101L, 90, 30,
                Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), true, Set.of(), Set.of(), false, true, false,
                null, null, null, open, open);
        state.peer("bird1").established(session, new InetSocketAddress("198.18.0.1", 179), T0);
        List<PathAttribute> attrs = List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64501, 65000),
                PathAttribute.NextHop.parse("198.18.1.1"), new PathAttribute.Med(5),
                new PathAttribute.Communities(new int[] {(64501 << 16) | 7}),
                PathAttribute.LargeCommunities.of(64501, 1, 2),
                new PathAttribute.UnknownAttribute(0xC0, 99, new byte[] {1, 2, (byte) 0xAB}));
        bird1 = config.peer("bird1").orElseThrow();
        this.session = session;
        state.routing.peerUp(bird1, 0xC6120101L).join();
        state.routing.received(bird1, UpdateMessage.announce(attrs, List.of(Nlri.parse("203.0.113.0/24"),
                Nlri.parse("198.51.100.0/24")))).join();
        state.routing.received(bird1, new UpdateMessage(List.of(), List.of(PathAttribute.Origin.IGP_ORIGIN,
                AsPath.sequence(64501), new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST,
                        new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                        List.of(new Nlri(Prefix.parse("2001:db8:100::/48"), 7)))), List.of())).join();
        clock.now = T0.plusSeconds(3725);
        api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), state);
        api.start();
        apiAddress = "127.0.0.1:" + api.address().getPort();
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @AfterEach
    void stop() {
        api.close();
        state.routing.close();
    }

    private Map<?, ?> get(String path, int expectedStatus) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + apiAddress + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return (Map<?, ?>) Json.parse(r.body());
    }

    @Test
    void status() throws Exception {
        Map<?, ?> s = get("/api/v1/status", 200);
        assertEquals(64500L, s.get("asn"));
        assertEquals("198.18.0.1", s.get("router_id"));
        assertEquals(3725L, s.get("uptime_seconds"));
        assertEquals(2L, s.get("peers_configured"));
        assertEquals(1L, s.get("peers_established"));
        assertEquals(3L, s.get("routes_received"));
    }

    @Test
    void peers() throws Exception {
        List<?> peers = (List<?>) get("/api/v1/peers", 200).get("peers");
        assertEquals(2, peers.size());
        Map<?, ?> bird = (Map<?, ?>) peers.get(0);
        assertEquals("bird1", bird.get("name"));
        assertEquals("Established", bird.get("state"));
        assertEquals(3725L, bird.get("uptime_seconds"));
        assertEquals(Map.of("ipv4-unicast", 2L, "ipv6-unicast", 1L), bird.get("prefixes_received"));
        Map<?, ?> caps = (Map<?, ?>) bird.get("capabilities");
        assertEquals(List.of("ipv4-unicast", "ipv6-unicast"), caps.get("families"));
        assertEquals("198.18.1.1", caps.get("peer_router_id"));
        assertEquals(true, caps.get("four_octet_as"));
        Map<?, ?> frr = (Map<?, ?>) peers.get(1);
        assertEquals("Idle", frr.get("state"));
        assertNull(frr.get("uptime_seconds"));
        assertNull(frr.get("capabilities"));
        assertEquals("2001:db8::2", frr.get("address"));
    }

    @Test
    void routes() throws Exception {
        List<?> routes = (List<?>) get("/api/v1/routes?peer=bird1", 200).get("routes");
        assertEquals(3, routes.size());
        Map<?, ?> r = (Map<?, ?>) routes.get(0); // prefix order: 198.51.100.0/24 first
        assertEquals("198.51.100.0/24", r.get("prefix"));
        assertEquals("198.18.1.1", r.get("next_hop"));
        assertEquals("64501 65000", r.get("as_path"));
        assertEquals("IGP", r.get("origin"));
        assertEquals(5L, r.get("med"));
        assertNull(r.get("local_pref"));
        assertNull(r.get("path_id"));
        assertEquals(List.of("64501:7"), r.get("communities"));
        assertEquals(List.of("64501:1:2"), r.get("large_communities"));
        assertEquals(List.of(Map.of("type", 99L, "flags", 0xC0L, "value", "0102ab")), r.get("unknown_attributes"));
        assertNull(r.get("filtered_reason"));
        assertEquals(false, r.get("stale"));
        assertEquals(true, r.get("best"));
        assertEquals("ONLY_PATH", r.get("best_reason"));
        Map<?, ?> v6 = (Map<?, ?>) routes.get(2);
        assertEquals("2001:db8:100::/48", v6.get("prefix"));
        assertEquals(7L, v6.get("path_id"));
        assertEquals("2001:db8::1", v6.get("next_hop"));
        assertEquals("ipv6-unicast", v6.get("family"));
        assertEquals(0, ((List<?>) get("/api/v1/routes?peer=frr1", 200).get("routes")).size());
        assertEquals(3, ((List<?>) get("/api/v1/routes", 200).get("routes")).size());
        assertEquals("no peer named \"nobody\"", get("/api/v1/routes?peer=nobody", 404).get("error"));
        get("/api/v1/nothing-here", 404);
    }

    @Test
    void withdrawalsAndSessionDownEmptyTheTable() throws Exception {
        state.routing.received(bird1, new UpdateMessage(List.of(Nlri.parse("203.0.113.0/24")), List.of(), List.of())).join();
        assertEquals(2, ((List<?>) get("/api/v1/routes?peer=bird1", 200).get("routes")).size());
        state.routing.down(bird1, session, new SessionEvent.Down("bird1", Reason.TCP_FAILED, null)).join();
        assertEquals(0, ((List<?>) get("/api/v1/routes", 200).get("routes")).size());
    }

    @Test
    void showPeersPrintsATable() {
        CliTest.Result r = CliTest.run("show", "peers", "--api", apiAddress);
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                NAME   ADDRESS      ASN    STATE        UPTIME    IPV4  IPV6  DESCRIPTION
                bird1  198.18.1.1   64501  Established  01:02:05  2     1     first bird
                frr1   2001:db8::2  64502  Idle         -         0     0
                """, r.out());
    }

    @Test
    void showRoutesPrintsATable() {
        CliTest.Result r = CliTest.run("show", "routes", "--peer", "bird1", "--api", apiAddress);
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                PEER   PREFIX             PATH-ID  NEXT-HOP     AS-PATH      ORIGIN  MED  LOCAL-PREF  COMMUNITIES
                bird1  198.51.100.0/24    -        198.18.1.1   64501 65000  IGP     5    -           64501:7 64501:1:2
                bird1  203.0.113.0/24     -        198.18.1.1   64501 65000  IGP     5    -           64501:7 64501:1:2
                bird1  2001:db8:100::/48  7        2001:db8::1  64501        IGP     -    -           -
                3 routes
                """, r.out());
        CliTest.Result missing = CliTest.run("show", "routes", "--peer", "nobody", "--api", apiAddress);
        assertEquals(1, missing.exit());
        assertEquals("ixora show: no peer named \"nobody\"\n", missing.err());
    }
}
