package dev.ixora.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.IpText;
import dev.ixora.codec.PathAttribute;
import dev.ixora.conf.Addresses;
import dev.ixora.fsm.NegotiatedSession;
import dev.ixora.fsm.SessionStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only HTTP API (looking glass / debug), JDK HttpServer, JSON by hand:
 * {@code GET /api/v1/status}, {@code /api/v1/peers}, {@code /api/v1/routes[?peer=NAME]}, and the
 * Prometheus metrics at {@code GET /metrics} ({@link Metrics}).
 * Documented in docs/operations.md.
 */
final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final DaemonState state;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Metrics metrics;

    ApiServer(InetSocketAddress listen, DaemonState state) throws IOException {
        this(listen, state, peer -> null);
    }

    /** @param stats a peer's session counters by name (null without a session), for {@code /metrics} */
    ApiServer(InetSocketAddress listen, DaemonState state, Function<String, SessionStats> stats) throws IOException {
        this.state = state;
        this.metrics = new Metrics(state, stats);
        this.server = HttpServer.create(listen, 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ixora-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/v1/status", ex -> handle(ex, this::status));
        server.createContext("/api/v1/peers", ex -> handle(ex, this::peers));
        server.createContext("/api/v1/routes", ex -> handle(ex, this::routes));
        server.createContext("/metrics", this::metrics);
        server.createContext("/", ex -> handle(ex, q -> new Reply(404, Map.of("error", "no such endpoint; try /api/v1/status, "
                + "/api/v1/peers, /api/v1/routes or /metrics"))));
    }

    void start() {
        server.start();
        LOG.info("api listening on http://{}", Addresses.format(address()));
    }

    /** The bound address (the real port when the config asked for port 0 in tests). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, Object body) {}

    private interface Endpoint {
        Reply answer(Map<String, String> query);
    }

    private void handle(HttpExchange ex, Endpoint endpoint) throws IOException {
        Reply reply;
        try {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                reply = new Reply(405, Map.of("error", "only GET"));
            } else {
                reply = endpoint.answer(query(ex.getRequestURI().getRawQuery()));
            }
        } catch (RuntimeException e) {
            LOG.warn("api {} failed", ex.getRequestURI(), e);
            reply = new Reply(500, Map.of("error", String.valueOf(e)));
        }
        byte[] body = (Json.write(reply.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(reply.status(), ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!ex.getRequestMethod().equals("HEAD")) out.write(body);
        }
    }

    /** Prometheus exposition (text 0.0.4, or OpenMetrics when the Accept header asks for it). */
    private void metrics(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            handle(ex, q -> new Reply(405, Map.of("error", "only GET")));
            return;
        }
        String[] scraped;
        try {
            scraped = metrics.scrape(ex.getRequestHeaders().getFirst("Accept"));
        } catch (RuntimeException e) {
            LOG.warn("api /metrics failed", e);
            handle(ex, q -> new Reply(500, Map.of("error", String.valueOf(e))));
            return;
        }
        byte[] body = scraped[1].getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", scraped[0]);
        ex.sendResponseHeaders(200, method.equals("HEAD") ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!method.equals("HEAD")) out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private Reply status(Map<String, String> query) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Ixora.version());
        m.put("asn", state.config.router().asn());
        m.put("router_id", Addresses.format(state.config.router().routerId()));
        m.put("route_server", state.config.routeServer());
        m.put("started", state.started.toString());
        m.put("uptime_seconds", Duration.between(state.started, state.now()).toSeconds());
        m.put("peers_configured", state.peers().size());
        m.put("peers_established", state.peers().stream().filter(p -> p.session() != null).count());
        m.put("routes_received", state.routing.read(r -> RibViews.received(r, state.routing)));
        m.put("routes_total", state.routing.read(r -> r.routeCount()));
        m.put("prefixes", state.routing.read(r -> Map.of("ipv4-unicast", r.prefixCount(AfiSafi.IPV4_UNICAST),
                "ipv6-unicast", r.prefixCount(AfiSafi.IPV6_UNICAST))));
        m.put("updates_encoded", state.routing.cache().encodes());
        m.put("encodings_shared", state.routing.cache().sharedDrains());
        m.put("inbound_pauses", state.routing.pauses.get());
        return new Reply(200, m);
    }

    private Reply peers(Map<String, String> query) {
        List<Object> list = new ArrayList<>();
        for (PeerStatus p : state.peers()) list.add(peer(p));
        return new Reply(200, Map.of("peers", list));
    }

    private Map<String, Object> peer(PeerStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.config.name());
        m.put("address", Addresses.format(p.config.address()));
        m.put("port", p.config.port());
        m.put("asn", p.config.asn());
        m.put("description", p.config.description());
        m.put("state", p.config.shutdown() ? "Shutdown" : p.state().toString());
        m.put("state_since", p.stateSince().toString());
        m.put("uptime_seconds", p.establishedAt() == null ? null
                : Duration.between(p.establishedAt(), state.now()).toSeconds());
        m.put("local_address", p.localAddress() == null ? null : Addresses.format(p.localAddress()));
        m.put("last_down_reason", p.lastDownReason());
        int id = state.routing.id(p.config.name());
        m.putAll(state.routing.read(r -> RibViews.peer(r, state.routing, id)));
        m.put("capabilities", capabilities(p.session()));
        return m;
    }

    private static Map<String, Object> capabilities(NegotiatedSession s) {
        if (s == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("families", names(s.families()));
        m.put("peer_router_id", IpText.formatV4((int) s.peerRouterId()));
        m.put("hold_time", s.holdTime());
        m.put("keepalive_time", s.keepaliveTime());
        m.put("four_octet_as", s.fourOctetAs());
        m.put("route_refresh", s.routeRefresh());
        m.put("enhanced_route_refresh", s.enhancedRouteRefresh());
        m.put("extended_messages", s.extendedMessages());
        m.put("add_path_receive", names(s.addPathReceive()));
        m.put("add_path_send", names(s.addPathSend()));
        m.put("graceful_restart", s.peerGracefulRestart() != null);
        m.put("role", s.peerRole());
        return m;
    }

    private static List<String> names(java.util.Set<AfiSafi> families) {
        return families.stream().map(AfiSafi::toString).sorted().toList();
    }

    private Reply routes(Map<String, String> query) {
        String only = query.get("peer");
        String exported = query.get("exported");
        List<PeerStatus> peers = state.peers();
        for (String name : new String[] {only, exported}) {
            if (name != null && state.peer(name) == null) return new Reply(404, Map.of("error", "no peer named \"" + name + "\""));
        }
        if (exported != null) {
            int client = state.routing.id(exported);
            return new Reply(200, Map.of("routes", state.routing.read(r -> RibViews.exported(r, state.routing, client))));
        }
        if (only != null) peers = List.of(state.peer(only));
        List<Integer> ids = peers.stream().map(p -> state.routing.id(p.config.name())).toList();
        return new Reply(200, Map.of("routes", state.routing.read(r -> RibViews.received(r, state.routing, ids))));
    }
}
