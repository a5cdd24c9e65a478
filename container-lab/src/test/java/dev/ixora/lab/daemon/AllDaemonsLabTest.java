package dev.ixora.lab.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixora.lab.Lab;
import dev.ixora.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The five adapters under the real lab runtime (overlay /etc, private /run, nsenter, cgroups): BIRD
 * as a hub on one LAN with FRR, GoBGP, OpenBGPD and ExaBGP as spokes, IPv4 and IPv6 sessions. Every
 * spoke must learn the hub's routes and, through it, every other spoke's, with the other spoke's
 * address as next hop (BIRD keeps a next hop on the shared LAN), the AS path through the hub, and
 * the communities; MED does not cross an AS (RFC 4271 §5.1.4).
 */
class AllDaemonsLabTest {
    private static final List<String> SPOKES = List.of("frr", "gobgp", "openbgpd", "exabgp");
    private Lab lab;
    private Path root;

    @AfterEach
    void cleanup() throws Exception {
        if (lab != null) lab.close();
        if (root != null) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String topology(String name) {
        StringBuilder y = new StringBuilder("lab: " + name + "\nlans:\n  - name: peering\n    ipv4: 198.18.66.0/24\n"
                + "    ipv6: \"2001:db8:66::/64\"\nnodes:\n");
        y.append("  - name: hub\n    kind: bird\n    asn: 64501\n")
                .append("    lans: {peering: {ipv4: 198.18.66.1, ipv6: \"2001:db8:66::1\"}}\n")
                .append("    neighbors: [").append(String.join(", ", SPOKES)).append("]\n")
                .append("    announce: [{prefix: \"203.0.113.0/24\", med: 5, communities: [\"64501:1\"],")
                .append(" large-communities: [\"64501:1:1\"]}, \"2001:db8:101::/48\"]\n");
        for (int i = 0; i < SPOKES.size(); i++) {
            int h = i + 2;
            y.append("  - name: ").append(SPOKES.get(i)).append("\n    kind: ").append(SPOKES.get(i))
                    .append("\n    asn: ").append(64500 + h).append('\n')
                    .append("    lans: {peering: {ipv4: 198.18.66.").append(h).append(", ipv6: \"2001:db8:66::").append(h)
                    .append("\"}}\n    neighbors: [hub]\n")
                    .append("    announce: [{prefix: \"198.51.").append(100 + h).append(".0/24\", communities: [\"")
                    .append(64500 + h).append(":7\"]}, \"2001:db8:").append(100 + h).append("::/48\"]\n");
        }
        return y.toString();
    }

    /** What node `kind` should hold: every route of the hub and of the other spokes. */
    private static Set<String> expected(String kind) {
        Set<String> out = new TreeSet<>();
        String noMed = kind.equals("openbgpd") ? " med 0" : ""; // bgpctl prints MED 0 for none
        List<Long> viaHub = kind.equals("bird") ? List.of() : List.of(64501L);
        if (!kind.equals("bird")) {
            out.add("203.0.113.0/24 via 198.18.66.1 path [64501] med 5 comm 64501:1 lcomm 64501:1:1");
            out.add("2001:db8:101::/48 via 2001:db8:66::1 path [64501]" + noMed);
        }
        for (int i = 0; i < SPOKES.size(); i++) {
            if (SPOKES.get(i).equals(kind)) continue;
            int h = i + 2;
            List<Long> path = new ArrayList<>(viaHub);
            path.add(64500L + h);
            // FRR's `network` always sends MED 0; the hub sees it, MED goes no further.
            String med = kind.equals("bird") && SPOKES.get(i).equals("frr") ? " med 0" : noMed;
            out.add("198.51." + (100 + h) + ".0/24 via 198.18.66." + h + " path " + path + med + " comm " + (64500 + h) + ":7");
            out.add("2001:db8:" + (100 + h) + "::/48 via 2001:db8:66::" + h + " path " + path + med);
        }
        return out;
    }

    @Test
    void everyDaemonLearnsEveryOthersRoutesThroughTheHub() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "ixora-h6all-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        String name = "h6all" + ProcessHandle.current().pid() % 10000;
        lab = Lab.up(Topology.parse(topology(name), name + ".yaml"), root);
        assertConverged();
        // A restart reuses what prepare() wrote (stale sockets, pid files, ExaBGP's message log).
        for (String node : NODES) lab.node(node).restartDaemon();
        assertConverged();
    }

    private static final List<String> NODES = List.of("hub", "frr", "gobgp", "openbgpd", "exabgp");

    private void assertConverged() throws Exception {
        lab.awaitEstablished(Duration.ofSeconds(120));
        for (String node : NODES) {
            String kind = node.equals("hub") ? "bird" : node;
            Set<String> want = expected(kind);
            List<RouteInfo> got = lab.awaitRoutes(node, rs -> lines(rs).equals(want), Duration.ofSeconds(120));
            assertEquals(want, lines(got), node);
        }
    }

    private static Set<String> lines(List<RouteInfo> routes) {
        return routes.stream().map(RouteInfo::normalised).collect(Collectors.toCollection(TreeSet::new));
    }
}
