package dev.ixora.lab.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixora.lab.Topology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ixora itself in a container of the lab image: the shaded jar bind-mounted, the image's Java 17,
 * its config on /etc/ixora, sessions with a BIRD and a GoBGP client Established, and both clients'
 * routes in what Ixora's API reports. Needs route-server/target/ixora.jar; without it this test is
 * skipped (the other Docker tests cover the other daemons).
 */
class DockerIxoraTest {
    private static final String LAB = "h9ixora" + ProcessHandle.current().pid() % 100000;

    @Test
    void ixoraRunsInAContainerAndPeersWithBirdAndGobgp() throws Exception {
        Optional<String> unreachable = DockerEngine.unreachable();
        if (unreachable.isPresent()) {
            if ("1".equals(System.getenv("IXORA_REQUIRE_DOCKER"))) fail("IXORA_REQUIRE_DOCKER=1 but " + unreachable.get());
            Assumptions.abort("Docker backend test skipped: " + unreachable.get());
        }
        Assumptions.assumeTrue(jarExists(), "no route-server/target/ixora.jar (mvn -pl route-server -am package): "
                + "Ixora on Docker not tested");
        Topology topology = Topology.parse("""
                lab: %s
                lans:
                  - {name: peering, ipv4: 198.18.10.0/24, ipv6: "2001:db8:10::/64"}
                nodes:
                  - {name: rs, kind: ixora, asn: 64500, lans: [peering], route-server: true, neighbors: [bird1, gobgp1]}
                  - {name: bird1, kind: bird, asn: 64501, lans: [peering], neighbors: [rs],
                     announce: ["203.0.113.0/24", "2001:db8:b01::/48"]}
                  - {name: gobgp1, kind: gobgp, asn: 64503, lans: [peering], neighbors: [rs],
                     announce: ["192.0.2.0/24"]}
                """.formatted(LAB), "docker-ixora.yaml");
        Path runRoot = Files.createTempDirectory("ixora-lab-docker-test-");
        DockerLab lab = null;
        try {
            lab = DockerLab.up(topology, DockerEngine.labImage(), runRoot);
            lab.awaitEstablished(Duration.ofSeconds(120));
            Set<String> expected = Set.of("203.0.113.0/24 [64501]", "2001:db8:b01::/48 [64501]", "192.0.2.0/24 [64503]");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Set<String> got = Set.of();
            while (System.nanoTime() < deadline && !got.equals(expected)) {
                Thread.sleep(500);
                try {
                    got = lab.routes("rs").stream().map(r -> r.prefix() + " " + r.asPath()).collect(Collectors.toSet());
                } catch (IOException e) {
                    got = Set.of("error: " + e.getMessage());
                }
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(got), "routes in Ixora's API\n" + lab.logTail("rs", 30));
        } finally {
            if (lab != null) lab.down();
            DockerLab.downByName(LAB);
            try (Stream<Path> s = Files.walk(runRoot)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** Where the ixora adapter looks for the jar: -Dixora.jar, $IXORA_JAR, route-server/target/ixora.jar above. */
    private static boolean jarExists() {
        String set = System.getProperty("ixora.jar", System.getenv("IXORA_JAR"));
        if (set != null) return Files.isRegularFile(Path.of(set));
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("route-server"))) return Files.isRegularFile(d.resolve("route-server/target/ixora.jar"));
        }
        return false;
    }
}
