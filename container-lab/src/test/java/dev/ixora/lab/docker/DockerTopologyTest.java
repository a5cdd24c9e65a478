package dev.ixora.lab.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixora.lab.Topology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A two-LAN topology on Docker: GoBGP sits on both LANs (its second network is connected before
 * the container starts), OpenBGPD on one, ExaBGP on the other, and a plain host. Routes cross
 * GoBGP in both directions; the host reaches a daemon's addresses; a restarted client gets its
 * sessions and routes back; a second up() of the same lab is refused; down() leaves nothing named
 * after the lab.
 */
class DockerTopologyTest {
    private static final String LAB = "h9topo" + ProcessHandle.current().pid() % 100000;
    private static String image;

    @BeforeAll
    static void engine() throws IOException {
        Optional<String> unreachable = DockerEngine.unreachable();
        if (unreachable.isPresent()) {
            if ("1".equals(System.getenv("IXORA_REQUIRE_DOCKER"))) fail("IXORA_REQUIRE_DOCKER=1 but " + unreachable.get());
            Assumptions.abort("Docker backend test skipped: " + unreachable.get()
                    + " (set IXORA_REQUIRE_DOCKER=1 to make this a failure)");
        }
        image = DockerEngine.labImage();
    }

    static String topology(String lab) {
        return """
                lab: %s
                lans:
                  - name: peering
                    ipv4: 198.18.8.0/24
                    ipv6: 2001:db8:8::/64
                  - name: wire
                    type: p2p
                    ipv4: 198.18.9.0/29
                    ipv6: 2001:db8:9::/64
                nodes:
                  - name: gobgp1
                    kind: gobgp
                    asn: 65012
                    lans: [peering, wire]
                    neighbors: [openbgpd1, exabgp1]
                    announce: ["198.51.100.0/24"]
                  - name: openbgpd1
                    kind: openbgpd
                    asn: 65011
                    lans: [peering]
                    neighbors: [gobgp1]
                    announce: ["203.0.113.0/24", "2001:db8:b11::/48"]
                  - name: exabgp1
                    kind: exabgp
                    asn: 65014
                    lans: [wire]
                    neighbors: [gobgp1]
                    announce: ["192.0.2.0/24", "2001:db8:b14::/48"]
                  - name: h1
                    kind: host
                    lans: [peering]
                """.formatted(lab);
    }

    @Test
    void routesCrossTwoLansAndTheLabIsRemovedByName() throws Exception {
        Topology topology = Topology.parse(topology(LAB), "docker-topology.yaml");
        Path runRoot = Files.createTempDirectory("ixora-lab-docker-test-");
        DockerLab lab = null;
        try {
            lab = DockerLab.up(topology, image, runRoot);
            IOException refused = assertThrows(IOException.class, () -> DockerLab.up(topology, image, runRoot));
            assertTrue(refused.getMessage().contains("already up"), refused.getMessage());
            String gobgpAddrs = lab.node("gobgp1").run("ip", "-o", "addr", "show");
            for (String a : List.of("198.18.8.1/24", "2001:db8:8::1/64", "198.18.9.1/29", "2001:db8:9::1/64")) {
                assertTrue(gobgpAddrs.contains(" " + a + " "), a + " missing on gobgp1:\n" + gobgpAddrs);
            }

            lab.awaitEstablished(Duration.ofSeconds(120));
            awaitPaths(lab, "openbgpd1", Set.of(
                    "198.51.100.0/24 [65012]", "192.0.2.0/24 [65012, 65014]", "2001:db8:b14::/48 [65012, 65014]"));
            awaitPaths(lab, "exabgp1", Set.of(
                    "198.51.100.0/24 [65012]", "203.0.113.0/24 [65012, 65011]", "2001:db8:b11::/48 [65012, 65011]"));

            // The plain host is on the peering LAN with the daemons: traffic flows over Docker's bridge.
            lab.node("h1").run("ping", "-c", "1", "-W", "5", "198.18.8.2");
            lab.node("h1").run("ping", "-c", "1", "-W", "5", "2001:db8:8::2");

            // A client restart (docker stop/start of its container): sessions and routes come back.
            lab.node("openbgpd1").restartDaemon();
            assertTrue(lab.node("openbgpd1").daemonAlive());
            lab.awaitEstablished(Duration.ofSeconds(120));
            awaitPaths(lab, "exabgp1", Set.of(
                    "198.51.100.0/24 [65012]", "203.0.113.0/24 [65012, 65011]", "2001:db8:b11::/48 [65012, 65011]"));
            awaitPaths(lab, "openbgpd1", Set.of(
                    "198.51.100.0/24 [65012]", "192.0.2.0/24 [65012, 65014]", "2001:db8:b14::/48 [65012, 65014]"));

            lab.down();
            assertEquals(List.of(), DockerLab.leftovers(DockerEngine.client(), LAB), "down() left things behind");
            lab = null;
        } finally {
            if (lab != null) {
                for (DockerNode n : lab.nodes()) System.err.println("---- " + n.name() + "\n" + n.logTail(30));
            }
            DockerLab.downByName(LAB);
            try (Stream<Path> s = Files.walk(runRoot)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Test
    void downByNameRemovesWhatACrashedRunLeftBehind() throws Exception {
        String name = LAB + "c";
        Topology topology = Topology.parse(topology(name), "docker-topology.yaml");
        Path runRoot = Files.createTempDirectory("ixora-lab-docker-test-");
        try {
            DockerLab.up(topology, image, runRoot); // and "crash": no down()
            List<String> before = DockerLab.leftovers(DockerEngine.client(), name);
            assertEquals(6, before.size(), "4 containers and 2 networks: " + before);
            List<String> removed = DockerLab.downByName(name);
            assertEquals(new TreeSet<>(before), new TreeSet<>(removed));
            assertEquals(List.of(), DockerLab.leftovers(DockerEngine.client(), name));
        } finally {
            DockerLab.downByName(name);
            try (Stream<Path> s = Files.walk(runRoot)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** Waits until the node's routes, as "prefix [as path]", are exactly expected. */
    private static void awaitPaths(DockerLab lab, String node, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> got = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                got = lab.routes(node).stream().map(r -> r.prefix() + " " + r.asPath()).collect(Collectors.toSet());
                if (got.equals(expected)) return;
            } catch (IOException e) {
                got = Set.of("error: " + e.getMessage());
            }
            Thread.sleep(500);
        }
        fail(node + ": routes differ\nexpected " + new TreeSet<>(expected) + "\ngot      " + new TreeSet<>(got)
                + "\n" + lab.logTail(node, 30));
    }
}
