package dev.ixora.lab.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7947 §2.2: a route server does not prepend its AS, so its clients receive paths whose first
 * AS is another client's. ExaBGP (AS 65002) plays the route server and sends 198.51.100.0/24 with
 * AS_PATH [65003] and a next hop of a third client, then 192.0.2.0/24 with AS_PATH [65002]; each
 * client daemon, told its neighbor is a route server, must accept both. The client announces
 * 203.0.113.0/24 itself, and that is all the route server may get back: an IXP member does not
 * return what the route server sent it (FRR would, without the lab's export filter).
 */
class RouteServerClientTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bird", "frr", "gobgp", "openbgpd"})
    void clientAcceptsPathsNotStartingWithTheRouteServersAs(String kind) throws Exception {
        lab = new TwoNodeLab("rs" + kind.charAt(0));
        lab.start(client(kind), clientSpec(kind, true), new FakeRouteServer(), routeServerSpec());
        lab.awaitEstablished();
        lab.awaitRoutesOfA(Set.of(
                "198.51.100.0/24 via 198.18.6.5 path [65003] med 7 comm 65003:7",
                "192.0.2.0/24 via 198.18.6.2 path [65002]" + (kind.equals("openbgpd") ? " med 0" : "")));
        // Both routes are in the client's table now; whatever it sends the route server has gone out
        // with or before its own route (one session, updates in order).
        lab.awaitRoutesOfB(Set.of("203.0.113.0/24 via 198.18.6.1 path [65001]" + (kind.equals("frr") ? " med 0" : "")));
    }

    /**
     * The control: OpenBGPD checks that the first AS is the neighbor's by default (RFC 4271 §6.3
     * allows it), and without the route-server flag it resets the session on the first route
     * ("AS-Path unacceptable") instead of accepting it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"openbgpd"})
    void withoutTheFlagOpenbgpdRefusesThem(String kind) throws Exception {
        lab = new TwoNodeLab("rn" + kind.charAt(0));
        lab.start(client(kind), clientSpec(kind, false), new FakeRouteServer(), routeServerSpec());
        lab.awaitLogOfA("bad path, starting with 65003, enforce neighbor-as enabled");
    }

    private static Daemon client(String kind) {
        return switch (kind) {
            case "bird" -> new Bird();
            case "frr" -> new Frr();
            case "gobgp" -> new Gobgp();
            case "openbgpd" -> new Openbgpd();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static NodeSpec clientSpec(String kind, boolean routeServer) {
        return new NodeSpec("a", kind, 65001, "198.18.6.1", List.of("198.18.6.1/29", "2001:db8:6::1/64"),
                List.of(new NodeSpec.Neighbor("rs", "198.18.6.2", 65002, routeServer, false, List.of("ipv4-unicast"), 0)),
                List.of(NodeSpec.Announcement.of("203.0.113.0/24")), Map.of());
    }

    private static NodeSpec routeServerSpec() {
        return new NodeSpec("b", "exabgp", 65002, "198.18.6.2", List.of("198.18.6.2/29", "2001:db8:6::2/64"),
                List.of(new NodeSpec.Neighbor("client", "198.18.6.1", 65001, false, false, List.of("ipv4-unicast"), 0)),
                List.of(new NodeSpec.Announcement("198.51.100.0/24", "198.18.6.5", 7, List.of("65003:7"), List.of()),
                        NodeSpec.Announcement.of("192.0.2.0/24")),
                Map.of());
    }

    /** ExaBGP with the first route's AS_PATH replaced by [65003], as a transparent route server sends it. */
    private static final class FakeRouteServer implements Daemon {
        private final Exabgp exabgp = new Exabgp();

        @Override
        public String kind() {
            return exabgp.kind();
        }

        @Override
        public void prepare(NodeSpec spec, NodeExec node) throws IOException {
            exabgp.prepare(spec, node);
            Path conf = Exabgp.dir(node).resolve("exabgp.conf");
            String text = Files.readString(conf);
            String edited = text.replace("route 198.51.100.0/24 next-hop 198.18.6.5", "route 198.51.100.0/24 next-hop 198.18.6.5 as-path [ 65003 ]");
            if (edited.equals(text)) throw new IllegalStateException("route line not found in " + conf);
            Files.writeString(conf, edited);
        }

        @Override
        public List<String> command(NodeSpec spec, NodeExec node) {
            return exabgp.command(spec, node);
        }

        @Override
        public List<SessionInfo> sessions(NodeSpec spec, NodeExec node) throws IOException {
            return exabgp.sessions(spec, node);
        }

        @Override
        public List<RouteInfo> routes(NodeSpec spec, NodeExec node) throws IOException {
            return exabgp.routes(spec, node);
        }
    }
}
