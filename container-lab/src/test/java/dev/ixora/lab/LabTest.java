package dev.ixora.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brings real labs up (network namespaces, overlayfs, cgroups: needs root, fails loudly without)
 * and checks what a node is: reachable over its LANs, with a private /etc and /run, in a limited
 * cgroup, and gone without a trace after down.
 */
class LabTest {
    static final Path ROOT = Path.of("/tmp/ixora-lab-test");

    static final String TOPOLOGY = """
            lab: LABNAME
            lans:
              - name: peering
              - name: link
                type: p2p
                ipv4: 198.18.200.0/30
            nodes:
              - name: h1
                kind: host
                lans: [peering, link]
                limits: {cpu: 0.5, memory: 64M}
              - name: h2
                kind: host
                lans: {peering: {ipv4: 198.18.0.22, ipv6: "2001:db8::22"}}
              - name: h3
                kind: host
                lans: [link]
            """;

    @BeforeAll
    static void needRoot() throws IOException {
        String uid = Shell.run("id", "-u").strip();
        assertEquals("0", uid, "the lab tests need root (network namespaces, mounts, cgroups)");
        for (String lab : List.of("h5up", "h5crash", "h5twoa", "h5twob")) Lab.downByName(lab, ROOT); // leftovers of an earlier run
    }

    @AfterAll
    static void cleanup() throws IOException {
        for (String lab : List.of("h5up", "h5crash", "h5twoa", "h5twob")) Lab.downByName(lab, ROOT);
    }

    static Topology topology(String lab) throws Exception {
        return Topology.parse(TOPOLOGY.replace("LABNAME", lab), "test.yaml");
    }

    @Test
    void nodesTalkOverLansAreIsolatedLimitedAndLeaveNothingBehind() throws Exception {
        Lab lab = Lab.up(topology("h5up"), ROOT);
        try {
            LabNode h1 = lab.node("h1");
            LabNode h2 = lab.node("h2");
            LabNode h3 = lab.node("h3");

            // addresses: auto-assigned by position (h1 is node 1) and explicit ones
            String h1Addrs = h1.run("ip", "-o", "addr", "show", "dev", "eth0");
            assertTrue(h1Addrs.contains("198.18.0.1/24"), h1Addrs);
            assertTrue(h1Addrs.contains("2001:db8::1/64"), h1Addrs);

            // the LAN carries IPv4 and IPv6 between namespaces (the bridge lives in the lab's switch namespace)
            h1.run("ping", "-c", "1", "-W", "5", "198.18.0.22");
            h1.run("ping", "-c", "1", "-W", "5", "2001:db8::22");
            h2.run("ping", "-c", "1", "-W", "5", "198.18.0.1");
            // the p2p link is a direct veth pair: h3 is node 3, so 198.18.200.3? no: a /30 has hosts 1 and 2
            String h3Addr = h3.run("ip", "-o", "-4", "addr", "show", "dev", "eth0");
            assertTrue(h3Addr.contains("198.18.200.2/30"), h3Addr);
            h1.run("ping", "-c", "1", "-W", "5", "198.18.200.2");
            // h3 is not on the peering LAN, so it cannot reach h2
            assertFalse(h3.exec(List.of("ping", "-c", "1", "-W", "1", "198.18.0.22")).ok());
            // nothing of the lab appears in the host's namespace
            assertFalse(Shell.run("ip", "-o", "link").contains("l0n0"));

            // private /etc: a file written in h1 is visible in h1 only, and lands in h1's upper layer
            h1.run("sh", "-c", "echo private > /etc/h5-isolation");
            assertEquals("private\n", h1.run("cat", "/etc/h5-isolation"));
            assertFalse(h2.exec(List.of("test", "-e", "/etc/h5-isolation")).ok());
            assertFalse(Files.exists(Path.of("/etc/h5-isolation")));
            assertEquals("private\n", Files.readString(h1.etcDir().resolve("h5-isolation")));
            // the lower layer is the host's /etc
            assertEquals(Files.readString(Path.of("/etc/hostname")), h2.run("cat", "/etc/hostname"));
            // its own hostname
            assertEquals("h2", h2.run("hostname").strip());
            assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), Shell.run("hostname").strip());
            // private /run: the node's run dir, not the host's
            Files.writeString(h2.runDir().resolve("marker"), "h2");
            assertEquals("h2", h2.run("cat", "/run/marker"));
            assertFalse(h1.exec(List.of("test", "-e", "/run/marker")).ok());

            // cgroup: limits written, daemon placed in it
            CGroup cg = h1.cgroup();
            if (!CGroup.v2()) {
                assertEquals("50000", Files.readString(cg.dir("cpu").resolve("cpu.cfs_quota_us")).strip());
                assertEquals(Long.toString(64L << 20), Files.readString(cg.dir("memory").resolve("memory.limit_in_bytes")).strip());
            } else {
                assertEquals("50000 100000", Files.readString(cg.dir("cpu").resolve("cpu.max")).strip());
                assertEquals(Long.toString(64L << 20), Files.readString(cg.dir("memory").resolve("memory.max")).strip());
            }
            long daemon = h1.daemonPid().orElseThrow();
            assertTrue(cg.pids().contains(daemon), "daemon " + daemon + " not in " + cg.pids());
            assertTrue(Files.readString(Path.of("/proc/" + daemon + "/cmdline")).startsWith("sleep"));
            // and the daemon runs in the node's network namespace
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + h1.holderPid().orElseThrow() + "/ns/net")),
                    Files.readSymbolicLink(Path.of("/proc/" + daemon + "/ns/net")));
            assertFalse(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/" + daemon + "/ns/net"))));

            // host nodes run no BGP: no sessions to wait for, no routes ever
            lab.awaitEstablished(java.time.Duration.ofSeconds(5));
            assertTrue(lab.awaitRoutes("h1", List::isEmpty, java.time.Duration.ofSeconds(5)).isEmpty());
            IOException noRoutes = assertThrows(IOException.class,
                    () -> lab.awaitRoutes("h1", r -> !r.isEmpty(), java.time.Duration.ofMillis(200)));
            assertTrue(noRoutes.getMessage().startsWith("node h1: routes not as expected"), noRoutes.getMessage());

            // a second lab of the same name cannot start while this one is up
            assertThrows(IOException.class, () -> Lab.up(topology("h5up"), ROOT));
        } finally {
            lab.down();
        }
        assertNothingLeft("h5up", lab);
        lab.down(); // idempotent
        assertNothingLeft("h5up", lab);
    }

    @Test
    void downByNameRemovesACrashedLab() throws Exception {
        Lab lab = Lab.up(topology("h5crash"), ROOT);
        long holder = lab.node("h2").holderPid().orElseThrow();
        long daemon = lab.node("h2").daemonPid().orElseThrow();
        // a process started inside a node but unknown to the lab (no pid file) must go too
        Shell.run("ip", "netns", "exec", "h5crash-h3", "sh", "-c", "setsid sleep 1000 </dev/null >/dev/null 2>&1 &");
        // the "crash": the Lab object is forgotten, only the name is known
        List<String> removed = Lab.downByName("h5crash", ROOT);
        assertTrue(removed.contains("namespace h5crash-h1"), removed.toString());
        assertTrue(removed.contains("namespace h5crash-sw"), removed.toString());
        assertFalse(LabNode.alive(holder));
        assertFalse(LabNode.alive(daemon));
        assertNothingLeft("h5crash", lab);
        assertTrue(Lab.downByName("h5crash", ROOT).isEmpty());
    }

    @Test
    void twoLabsWithTheSameNodesAndAddressesRunSideBySide() throws Exception {
        try (Lab a = Lab.up(topology("h5twoa"), ROOT); Lab b = Lab.up(topology("h5twob"), ROOT)) {
            // the same addresses in both labs: each lab's LAN is its own
            a.node("h1").run("ping", "-c", "1", "-W", "5", "198.18.0.22");
            b.node("h1").run("ping", "-c", "1", "-W", "5", "198.18.0.22");
            a.node("h2").run("sh", "-c", "echo a > /etc/h5-lab");
            assertFalse(b.node("h2").exec(List.of("test", "-e", "/etc/h5-lab")).ok());
            assertFalse(a.node("h1").cgroup().dirs().equals(b.node("h1").cgroup().dirs()));
            a.down();
            assertNothingLeft("h5twoa", a);
            // b is untouched by a's down
            b.node("h1").run("ping", "-c", "1", "-W", "5", "2001:db8::22");
            assertTrue(b.node("h3").daemonAlive());
        }
    }

    static void assertNothingLeftNamed(String name) throws IOException {
        String netns = Shell.run("ip", "netns", "list");
        assertFalse(netns.lines().anyMatch(l -> l.startsWith(name + "-")), netns);
        assertTrue(CGroup.existing("ixora-" + name + "-").isEmpty());
        // no process anywhere still runs with a lab node's cgroup
        Set<String> procs = Set.of(Shell.run("sh", "-c", "grep -l 'ixora-" + name + "-' /proc/[0-9]*/cgroup 2>/dev/null || true").split("\n"));
        assertTrue(procs.stream().allMatch(String::isBlank), procs.toString());
    }

    static void assertNothingLeft(String name, Lab lab) throws IOException {
        assertNothingLeftNamed(name);
        String mounts = Files.readString(Path.of("/proc/mounts"));
        assertFalse(mounts.contains(lab.dir().toString()), mounts);
        assertFalse(mounts.contains("/run/netns/" + name + "-"), mounts);
        for (LabNode n : lab.nodes()) {
            assertFalse(n.daemonAlive());
            assertTrue(n.holderPid().isEmpty());
        }
        // logs are kept
        assertTrue(Files.exists(lab.node("h1").daemonLog()));
    }
}
