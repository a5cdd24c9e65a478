package dev.ixora.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.IpText;
import dev.ixora.codec.PathAttribute;
import dev.ixora.conf.Addresses;
import dev.ixora.fsm.NegotiatedSession;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only HTTP API (looking glass / debug), JDK HttpServer, JSON by hand:
 * {@code GET /api/v1/status}, {@code /api/v1/peers}, {@code /api/v1/routes[?peer=NAME]}.
 * Documented in docs/operations.md.
 */
final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final DaemonState state;
    private final HttpServer server;
    private final ExecutorService executor;

    ApiServer(InetSocketAddress listen, DaemonState state) throws IOException {
        this.state = state;
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
        server.createContext("/", ex -> handle(ex, q -> new Reply(404, Map.of("error", "no such endpoint; try /api/v1/status, "
                + "/api/v1/peers or /api/v1/routes"))));
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
        m.put("routes_received", state.rib.size());
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
        Map<String, Object> counts = new LinkedHashMap<>();
        state.rib.counts(p.config.name()).forEach((f, n) -> counts.put(f.toString(), n));
        m.put("prefixes_received", counts);
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
        List<PeerStatus> peers = state.peers();
        if (only != null) {
            PeerStatus p = state.peer(only);
            if (p == null) return new Reply(404, Map.of("error", "no peer named \"" + only + "\""));
            peers = List.of(p);
        }
        List<Object> list = new ArrayList<>();
        for (PeerStatus p : peers) {
            for (AdjRibIn.Route r : state.rib.routes(p.config.name())) list.add(route(r));
        }
        return new Reply(200, Map.of("routes", list));
    }

    static Map<String, Object> route(AdjRibIn.Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peer", r.peer());
        m.put("family", r.family().toString());
        m.put("prefix", r.nlri().prefix().toString());
        m.put("path_id", r.nlri().hasPathId() ? r.nlri().pathId() : null);
        byte[] nh = r.nextHop();
        m.put("next_hop", nh.length == 0 ? null : nh.length == 32
                ? IpText.format(Arrays.copyOf(nh, 16)) + "," + IpText.format(Arrays.copyOfRange(nh, 16, 32))
                : IpText.format(nh));
        m.put("as_path", r.attributes().get(AsPath.class).map(AsPath::toString).orElse(""));
        m.put("origin", r.attributes().get(PathAttribute.Origin.class).map(Object::toString).orElse(null));
        m.put("med", r.attributes().get(PathAttribute.Med.class).map(PathAttribute.Med::value).orElse(null));
        m.put("local_pref", r.attributes().get(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(null));
        List<String> communities = new ArrayList<>();
        r.attributes().get(PathAttribute.Communities.class).ifPresent(c -> {
            for (int v : c.values()) communities.add((v >>> 16) + ":" + (v & 0xFFFF));
        });
        m.put("communities", communities);
        List<String> large = new ArrayList<>();
        r.attributes().get(PathAttribute.LargeCommunities.class).ifPresent(c -> {
            int[] v = c.values();
            for (int i = 0; i < v.length; i += 3) {
                large.add(Integer.toUnsignedString(v[i]) + ":" + Integer.toUnsignedString(v[i + 1]) + ":"
                        + Integer.toUnsignedString(v[i + 2]));
            }
        });
        m.put("large_communities", large);
        List<Object> unknown = new ArrayList<>();
        for (PathAttribute a : r.attributes().list()) {
            if (a instanceof PathAttribute.UnknownAttribute u) {
                Map<String, Object> um = new LinkedHashMap<>();
                um.put("type", u.type());
                um.put("flags", u.flags());
                um.put("value", HexFormat.of().formatHex(u.value()));
                unknown.add(um);
            }
        }
        m.put("unknown_attributes", unknown);
        m.put("received", r.received().toString());
        return m;
    }
}
