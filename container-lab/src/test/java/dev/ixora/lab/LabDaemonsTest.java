package dev.ixora.lab;

import dev.ixora.lab.daemon.RouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example IXP topology on real daemons, through the lab runtime (not the adapters' own test
 * harness): BIRD stands in as the route server (the ixora kind needs route-server's jar, which is
 * built after this module), with one client of each kind. Needs root and the daemons; fails
 * loudly when they are missing.
 */
class LabDaemonsTest {
    static final Path ROOT = Path.of("/tmp/ixora-lab-test");
    static final String LAB = "h5ixp";

    /** Each client's IPv4 announcement in topologies/ixp.yaml. */
    static final Map<String, String> ANNOUNCED = Map.of(
            "bird1", "203.0.113.0/24", "frr1", "198.51.100.0/24", "gobgp1", "192.0.2.0/24",
            "openbgpd1", "100.64.0.0/24", "exabgp1", "100.64.1.0/24");

    @BeforeAll
    static void needRoot() throws IOException {
        assertEquals("0", Shell.run("id", "-u").strip(), "the lab tests need root");
        Lab.downByName(LAB, ROOT);
    }

    @AfterAll
    static void cleanup() throws IOException {
        Lab.downByName(LAB, ROOT);
    }

    @Test
    void everyClientLearnsEveryOtherClientsRoutesThroughTheRouteServer() throws Exception {
        String yaml = Files.readString(Path.of("topologies", "ixp.yaml"))
                .replace("lab: ixp1", "lab: " + LAB).replace("kind: ixora", "kind: bird");
        Topology t = Topology.parse(yaml, "ixp.yaml");
        try (Lab lab = Lab.up(t, ROOT)) {
            lab.awaitEstablished(Duration.ofSeconds(120));
            for (String client : ANNOUNCED.keySet()) {
                Set<String> want = ANNOUNCED.entrySet().stream().filter(e -> !e.getKey().equals(client))
                        .map(Map.Entry::getValue).collect(Collectors.toSet());
                List<RouteInfo> routes = lab.awaitRoutes(client,
                        r -> r.stream().map(RouteInfo::prefix).collect(Collectors.toSet()).containsAll(want), Duration.ofSeconds(60));
                // never its own route back (RFC 7947 §2.2: a route is not sent back to the client it came from)
                assertTrue(routes.stream().noneMatch(r -> r.prefix().equals(ANNOUNCED.get(client))), client + ": " + routes);
            }
            // OpenBGPD forks its privilege-separated processes: all of them stay in the node's cgroup
            LabNode obgp = lab.node("openbgpd1");
            Set<Long> inGroup = obgp.cgroup().pids();
            // (no pid namespace: other bgpd processes on the host are visible, so select by network namespace)
            Path netns = Files.readSymbolicLink(Path.of("/proc/" + obgp.holderPid().orElseThrow() + "/ns/net"));
            List<Long> pids = new java.util.ArrayList<>();
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        if (Files.readString(p.resolve("comm")).strip().equals("bgpd")
                                && Files.readSymbolicLink(p.resolve("ns/net")).equals(netns)) {
                            pids.add(Long.parseLong(p.getFileName().toString()));
                        }
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            assertTrue(pids.size() >= 2, "bgpd processes: " + pids);
            assertTrue(inGroup.containsAll(pids), "bgpd " + pids + " outside the cgroup " + inGroup);
            // the limits of topologies/ixp.yaml reach bird1's cgroup
            if (!CGroup.v2()) {
                assertEquals("50000", Files.readString(lab.node("bird1").cgroup().dir("cpu").resolve("cpu.cfs_quota_us")).strip());
            }
        }
        LabTest.assertNothingLeftNamed(LAB);
    }
}
