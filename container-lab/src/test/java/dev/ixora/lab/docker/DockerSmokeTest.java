package dev.ixora.lab.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixora.lab.Topology;
import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Docker backend's smoke topology: BIRD and FRR in two containers of the lab image on one
 * Docker network, an IPv4 and an IPv6 eBGP session, each side originating a prefix with
 * attributes; asserted through the same adapters' sessions()/routes() as the namespace suites.
 *
 * <p>Without a Docker engine it is skipped with a message, unless IXORA_REQUIRE_DOCKER=1 (CI sets
 * it, after bin/docker-up): then it fails.
 */
class DockerSmokeTest {
    private static final String LAB = "h9smoke" + ProcessHandle.current().pid() % 100000;

    static String topology(String lab) {
        return """
                lab: %s
                lans:
                  - name: lan
                    ipv4: 198.18.7.0/24
                    ipv6: 2001:db8:7::/64
                nodes:
                  - name: bird1
                    kind: bird
                    asn: 65001
                    lans: [lan]
                    neighbors: [frr1]
                    announce:
                      - {prefix: "203.0.113.0/24", med: 11, communities: ["65001:100"], large-communities: ["65001:1:1"]}
                      - "2001:db8:a01::/48"
                  - name: frr1
                    kind: frr
                    asn: 65002
                    lans: [lan]
                    neighbors: [bird1]
                    announce:
                      - {prefix: "198.51.100.0/24", med: 22, communities: ["65002:200"]}
                      - "2001:db8:a02::/48"
                """.formatted(lab);
    }

    @Test
    void birdAndFrrExchangeRoutesOnDocker() throws Exception {
        Optional<String> unreachable = DockerEngine.unreachable();
        if (unreachable.isPresent()) {
            if ("1".equals(System.getenv("IXORA_REQUIRE_DOCKER"))) {
                fail("IXORA_REQUIRE_DOCKER=1 but " + unreachable.get());
            }
            Assumptions.abort("Docker backend smoke test skipped: " + unreachable.get()
                    + " (set IXORA_REQUIRE_DOCKER=1 to make this a failure)");
        }
        String image = DockerEngine.labImage();
        Topology topology = Topology.parse(topology(LAB), "docker-smoke.yaml");
        Path runRoot = Files.createTempDirectory("ixora-lab-docker-test-");
        DockerLab lab = null;
        try {
            lab = DockerLab.up(topology, image, runRoot);
            assertEquals(Set.of("ixora-lab-" + LAB + "-bird1", "ixora-lab-" + LAB + "-frr1"),
                    lab.nodes().stream().map(DockerNode::containerName).collect(Collectors.toSet()));
            // The containers really have the topology's addresses (Docker's IPAM honoured them).
            String addrs = lab.node("bird1").run("ip", "-o", "addr", "show");
            assertTrue(addrs.contains("198.18.7.1/24") && addrs.contains("2001:db8:7::1/64"), addrs);

            lab.awaitEstablished(Duration.ofSeconds(120));
            for (String node : List.of("bird1", "frr1")) {
                List<SessionInfo> sessions = lab.sessions(node);
                assertEquals(2, sessions.stream().filter(SessionInfo::established).count(), node + ": " + sessions);
            }
            awaitRoutes(lab, "bird1", Set.of(
                    "198.51.100.0/24 via 198.18.7.2 path [65002] med 22 comm 65002:200",
                    // FRR's `network` always carries a MED (0 without a route-map setting one).
                    "2001:db8:a02::/48 via 2001:db8:7::2 path [65002] med 0"));
            awaitRoutes(lab, "frr1", Set.of(
                    "203.0.113.0/24 via 198.18.7.1 path [65001] med 11 comm 65001:100 lcomm 65001:1:1",
                    "2001:db8:a01::/48 via 2001:db8:7::1 path [65001]"));

            lab.down();
            assertEquals(List.of(), DockerLab.leftovers(DockerEngine.client(), LAB), "down() left things behind");
            lab = null;
        } finally {
            if (lab != null) System.err.println(logs(lab));
            // By name, whatever happened above (up() failing half-way included).
            DockerLab.downByName(LAB);
            deleteTree(runRoot);
        }
    }

    private static void awaitRoutes(DockerLab lab, String node, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> got = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                got = lab.routes(node).stream().map(RouteInfo::normalised).collect(Collectors.toSet());
                if (got.equals(expected)) return;
            } catch (IOException e) {
                got = Set.of("error: " + e.getMessage());
            }
            Thread.sleep(500);
        }
        fail(node + ": routes differ\nexpected " + new TreeSet<>(expected) + "\ngot      " + new TreeSet<>(got)
                + "\n" + logs(lab));
    }

    private static String logs(DockerLab lab) {
        StringBuilder b = new StringBuilder();
        for (DockerNode n : lab.nodes()) {
            b.append("---- ").append(n.name()).append(" daemon.log\n").append(n.logTail(30)).append('\n');
        }
        return b.toString();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
