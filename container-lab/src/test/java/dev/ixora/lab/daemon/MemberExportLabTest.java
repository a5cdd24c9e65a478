package dev.ixora.lab.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixora.lab.Lab;
import dev.ixora.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A member with two eBGP neighbors on one LAN: a route server (ExaBGP, marked {@code route-server}
 * on the member's side) and an ordinary peer (ExaBGP). The member must pass the route server's
 * route on to the peer (transit still works) but send the route server nothing but its own prefix
 * (an IXP member does not re-announce what it learned; docs/lab-daemons.md).
 */
class MemberExportLabTest {
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

    private static String topology(String name, String kind) {
        return "lab: " + name + "\n"
                + "lans:\n  - name: peering\n    ipv4: 198.18.67.0/24\n"
                + "nodes:\n"
                + "  - name: member\n    kind: " + kind + "\n    asn: 65001\n"
                + "    lans: {peering: {ipv4: 198.18.67.1}}\n"
                + "    neighbors: [{node: rs, route-server: true}, peer]\n"
                + "    announce: [\"203.0.113.0/24\"]\n"
                + "  - name: rs\n    kind: exabgp\n    asn: 65010\n"
                + "    lans: {peering: {ipv4: 198.18.67.2}}\n"
                + "    neighbors: [member]\n"
                + "    announce: [\"198.51.100.0/24\"]\n"
                + "  - name: peer\n    kind: exabgp\n    asn: 65020\n"
                + "    lans: {peering: {ipv4: 198.18.67.3}}\n"
                + "    neighbors: [member]\n"
                + "    announce: [\"192.0.2.0/24\"]\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"bird", "frr", "gobgp", "openbgpd"})
    void memberSendsTheRouteServerOnlyItsOwnPrefix(String kind) throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "ixora-h14exp-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        String name = "h14" + kind.charAt(0) + ProcessHandle.current().pid() % 10000;
        lab = Lab.up(Topology.parse(topology(name, kind), name + ".yaml"), root);
        lab.awaitEstablished(Duration.ofSeconds(120));
        Duration wait = Duration.ofSeconds(60);
        // The member learned both routes ...
        lab.awaitRoutes("member", rs -> prefixes(rs).equals(Set.of("192.0.2.0/24", "198.51.100.0/24")), wait);
        // ... and exported the route server's one to the ordinary peer (so its export of learned
        // routes has run), through itself. (FRR also returns the peer's own prefix to it: ExaBGP
        // does no loop check, so that shows; not what this test is about.)
        List<RouteInfo> atPeer = lab.awaitRoutes("peer",
                rs -> prefixes(rs).containsAll(Set.of("203.0.113.0/24", "198.51.100.0/24")), wait);
        assertEquals(List.of(65001L, 65010L), atPeer.stream().filter(r -> r.prefix().equals("198.51.100.0/24"))
                .findFirst().orElseThrow().asPath());
        // The route server: the member's own prefix and nothing else (not the peer's, not its own back).
        List<RouteInfo> atRs = lab.awaitRoutes("rs", rs -> prefixes(rs).equals(Set.of("203.0.113.0/24")), wait);
        assertEquals(List.of(65001L), atRs.get(0).asPath());
    }

    private static Set<String> prefixes(List<RouteInfo> routes) {
        return routes.stream().map(RouteInfo::prefix).collect(Collectors.toCollection(TreeSet::new));
    }
}
