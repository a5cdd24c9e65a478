package dev.ixora.tests.docker;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ixora.lab.Topology;
import dev.ixora.lab.docker.DockerEngine;
import dev.ixora.lab.docker.DockerLab;
import dev.ixora.lab.daemon.NodeSpec;
import dev.ixora.lab.daemon.RouteInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The project's example IXP (topologies/ixp.yaml, the namespace backend's file, unchanged) on
 * Docker: Ixora as route server in a container of the lab image (shaded jar bind-mounted, the
 * image's Java 17), one client each of BIRD, FRR, GoBGP, OpenBGPD and ExaBGP, with the file's cpu
 * and memory limits. Every session Established; Ixora holds every client's prefixes; every client
 * learns every other client's prefixes through it. It lives in the tests module because it needs
 * the shaded route-server/target/ixora.jar, which a reactor build packages before this module's
 * tests run; a missing jar fails the test.
 */
class DockerIxoraTest {
    @Test
    void theExampleIxpRunsOnDocker() throws Exception {
        Optional<String> unreachable = DockerEngine.unreachable();
        if (unreachable.isPresent()) {
            if ("1".equals(System.getenv("IXORA_REQUIRE_DOCKER"))) fail("IXORA_REQUIRE_DOCKER=1 but " + unreachable.get());
            Assumptions.abort("Docker backend test skipped: " + unreachable.get());
        }
        if (!jarExists()) fail("no route-server/target/ixora.jar (mvn -pl route-server -am package)");
        Topology topology = Topology.load(Path.of("..", "container-lab", "topologies", "ixp.yaml"));
        Path runRoot = Files.createTempDirectory("ixora-lab-docker-test-");
        DockerLab lab = null;
        try {
            lab = DockerLab.up(topology, DockerEngine.labImage(), runRoot);
            lab.awaitEstablished(Duration.ofSeconds(120));

            Map<String, Set<String>> announced = new LinkedHashMap<>();
            for (Topology.Node n : topology.nodes()) {
                announced.put(n.name(), n.spec().announce().stream().map(NodeSpec.Announcement::prefix).collect(Collectors.toSet()));
            }
            Set<String> all = announced.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            awaitPrefixes(lab, "rs", all);
            for (Topology.Node n : topology.nodes()) {
                if (n.kind().equals("ixora")) continue;
                Set<String> others = new TreeSet<>(all);
                others.removeAll(announced.get(n.name()));
                awaitPrefixes(lab, n.name(), others);
            }
        } finally {
            if (lab != null) lab.down();
            DockerLab.downByName(topology.name());
            try (Stream<Path> s = Files.walk(runRoot)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /**
     * Waits until the node holds at least these prefixes. At least: a client without export
     * policy (FRR) announces what it learned back to the route server, which passes it on.
     */
    private static void awaitPrefixes(DockerLab lab, String node, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> got = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                got = lab.routes(node).stream().map(RouteInfo::prefix).collect(Collectors.toSet());
                if (got.containsAll(expected)) return;
            } catch (IOException e) {
                got = Set.of("error: " + e.getMessage());
            }
            Thread.sleep(500);
        }
        fail(node + ": missing prefixes\nexpected at least " + new TreeSet<>(expected) + "\ngot " + new TreeSet<>(got)
                + "\n--- " + node + " log tail:\n" + lab.logTail(node, 20) + "\n--- rs log tail:\n" + lab.logTail("rs", 20));
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
