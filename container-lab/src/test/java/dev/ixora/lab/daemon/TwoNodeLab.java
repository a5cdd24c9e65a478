package dev.ixora.lab.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Two network namespaces joined by a veth pair, one daemon in each, with an IPv4 and an IPv6 eBGP
 * session between them. Node a: AS 65001, 198.18.6.1/29, 2001:db8:6::1/64; node b: AS 65002,
 * 198.18.6.2/29, 2001:db8:6::2/64. Each node originates an IPv4 and an IPv6 prefix with MED,
 * communities and large communities, plus one IPv4 and one IPv6 prefix with a third-party next hop
 * on the shared subnet. Names carry the pid so parallel runs of other engineers do not collide.
 */
final class TwoNodeLab implements AutoCloseable {
    private static final long WAIT_SECONDS = 120;

    private final String tag;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    final NetnsNode nodeA;
    final NetnsNode nodeB;
    NodeSpec specA;
    NodeSpec specB;
    Daemon daemonA;
    Daemon daemonB;

    TwoNodeLab(String label) throws IOException {
        tag = "h6" + label + ProcessHandle.current().pid() % 100000;
        nodeA = node("a");
        nodeB = node("b");
        String va = tag + "a";
        String vb = tag + "b";
        NetnsNode.Host.run("ip", "link", "add", va, "type", "veth", "peer", "name", vb);
        NetnsNode.Host.run("ip", "link", "set", va, "netns", nodeA.netns);
        NetnsNode.Host.run("ip", "link", "set", vb, "netns", nodeB.netns);
        configure(nodeA, va, "198.18.6.1/29", "2001:db8:6::1/64");
        configure(nodeB, vb, "198.18.6.2/29", "2001:db8:6::2/64");
    }

    private NetnsNode node(String suffix) throws IOException {
        String ns = tag + "-" + suffix;
        NetnsNode.Host.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ixora-" + ns + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        dirs.add(dir);
        return new NetnsNode(ns, dir);
    }

    private static void configure(NetnsNode n, String dev, String v4, String v6) throws IOException {
        n.run("ip", "link", "set", "lo", "up");
        n.run("ip", "addr", "add", v4, "dev", dev);
        n.run("ip", "addr", "add", v6, "dev", dev, "nodad");
        n.run("ip", "link", "set", dev, "up");
    }

    static NodeSpec spec(String name, String kind, long asn, int host, long peerAsn, int peerHost,
                         boolean passive, boolean routeServer) {
        String peer4 = "198.18.6." + peerHost;
        String peer6 = "2001:db8:6::" + peerHost;
        List<NodeSpec.Neighbor> neighbors = List.of(
                new NodeSpec.Neighbor("peer4", peer4, peerAsn, routeServer, passive, List.of("ipv4-unicast"), 30),
                new NodeSpec.Neighbor("peer6", peer6, peerAsn, routeServer, false, List.of("ipv6-unicast"), 0));
        int x = host * 16;
        List<NodeSpec.Announcement> announce = List.of(
                new NodeSpec.Announcement("203.0." + x + ".0/24", null, 10 + host,
                        List.of(asn + ":100", asn + ":" + (200 + host)), List.of(asn + ":1:" + host)),
                new NodeSpec.Announcement("2001:db8:" + Integer.toHexString(0xa00 + x) + "::/48", null, 20 + host,
                        List.of(asn + ":300", "graceful-shutdown"), List.of(asn + ":2:" + host, asn + ":3:" + host)),
                new NodeSpec.Announcement("203.0." + (x + 1) + ".0/24", "198.18.6." + (4 + host), null,
                        List.of(), List.of()),
                new NodeSpec.Announcement("2001:db8:" + Integer.toHexString(0xa01 + x) + "::/48",
                        "2001:db8:6::" + (4 + host), null, List.of(), List.of()));
        return new NodeSpec(name, kind, asn, "198.18.6." + host, List.of("198.18.6." + host + "/29",
                "2001:db8:6::" + host + "/64"), neighbors, announce, Map.of());
    }

    /**
     * The routes a node should learn from the other: its announcements, next hop filled in. FRR's
     * {@code network} statement always carries a MED (0 when no route-map sets one); bgpctl prints
     * MED 0 for a path without one.
     */
    static Set<String> expectedFrom(NodeSpec origin, int originHost, String receiverKind) {
        Long noMed = origin.kind().equals("frr") || receiverKind.equals("openbgpd") ? 0L : null;
        Set<String> out = new HashSet<>();
        for (NodeSpec.Announcement a : origin.announce()) {
            String nh = a.nextHop() != null ? a.nextHop()
                    : Support.ipv6(a.prefix()) ? "2001:db8:6::" + originHost : "198.18.6." + originHost;
            out.add(new RouteInfo(Support.prefix(a.prefix()), Support.address(nh), List.of(origin.asn()),
                    a.med() == null ? noMed : Long.valueOf(a.med()), Support.communities(a.communities()),
                    a.largeCommunities()).normalised());
        }
        return out;
    }

    /** Prepares and starts both daemons (b passive on its IPv4 session, a sees b as a route server). */
    void start(Daemon a, Daemon b) throws IOException {
        start(a, spec("a", a.kind(), 65001, 1, 65002, 2, false, true), b,
                spec("b", b.kind(), 65002, 2, 65001, 1, true, false));
    }

    /** Prepares and starts both daemons with the given specs (a is 198.18.6.1, b 198.18.6.2). */
    void start(Daemon a, NodeSpec sa, Daemon b, NodeSpec sb) throws IOException {
        daemonA = a;
        daemonB = b;
        specA = sa;
        specB = sb;
        launch(a, specA, nodeA);
        launch(b, specB, nodeB);
    }

    /** Waits until both daemons report all their sessions Established. */
    void awaitEstablished() throws Exception {
        awaitEstablished(daemonA, specA, nodeA);
        awaitEstablished(daemonB, specB, nodeB);
    }

    /** Waits until node a's daemon.log contains the text. */
    void awaitLogOfA(String text) throws Exception {
        Path log = nodeA.workDir().resolve("daemon.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (NetnsNode.Host.readOrEmpty(log).contains(text)) return;
            Thread.sleep(500);
        }
        fail("daemon.log of a never said \"" + text + "\"\n" + logs());
    }

    /** Waits until node a's routes() is exactly the expected set of normalised lines. */
    void awaitRoutesOfA(Set<String> expected) throws Exception {
        awaitRoutes(daemonA, specA, nodeA, expected);
    }

    /** Waits until node b's routes() is exactly the expected set of normalised lines. */
    void awaitRoutesOfB(Set<String> expected) throws Exception {
        awaitRoutes(daemonB, specB, nodeB, expected);
    }

    private void launch(Daemon d, NodeSpec spec, NetnsNode node) throws IOException {
        d.prepare(spec, node);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node.netns));
        cmd.addAll(d.command(spec, node));
        Path log = node.workDir().resolve("daemon.log");
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    /** Waits until both daemons report both sessions Established and each has the other's routes. */
    void assertExchange() throws Exception {
        awaitEstablished(daemonA, specA, nodeA);
        awaitEstablished(daemonB, specB, nodeB);
        awaitRoutes(daemonA, specA, nodeA, expectedFrom(specB, 2, specA.kind()));
        awaitRoutes(daemonB, specB, nodeB, expectedFrom(specA, 1, specB.kind()));
    }

    private void awaitEstablished(Daemon d, NodeSpec spec, NetnsNode node) throws Exception {
        Set<String> want = spec.neighbors().stream().map(n -> Support.address(n.address())).collect(Collectors.toSet());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                List<SessionInfo> s = d.sessions(spec, node);
                last = s.toString();
                Set<String> up = s.stream().filter(SessionInfo::established).map(SessionInfo::neighborAddress)
                        .collect(Collectors.toSet());
                if (up.containsAll(want)) {
                    assertTrue(s.stream().map(SessionInfo::neighborAddress).collect(Collectors.toSet()).containsAll(want));
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage(); // CLI socket not there yet
            }
            Thread.sleep(500);
        }
        fail(d.kind() + " on " + spec.name() + ": sessions not Established; last " + last + "\n" + logs());
    }

    private void awaitRoutes(Daemon d, NodeSpec spec, NetnsNode node, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Set<String> got = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                got = d.routes(spec, node).stream().map(RouteInfo::normalised).collect(Collectors.toSet());
                if (got.equals(expected)) return;
            } catch (IOException e) {
                got = Set.of("error: " + e.getMessage());
            }
            Thread.sleep(500);
        }
        fail(d.kind() + " on " + spec.name() + ": routes differ\nexpected " + new java.util.TreeSet<>(expected)
                + "\ngot      " + new java.util.TreeSet<>(got) + "\n" + logs());
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (Path dir : dirs) {
            b.append("---- ").append(dir).append("/daemon.log\n")
                    .append(NetnsNode.Host.readOrEmpty(dir.resolve("daemon.log")));
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy(); // SIGTERM, as the lab runtime does
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            try {
                // Whatever the daemons left behind in our own namespaces (e.g. helpers).
                for (String pid : NetnsNode.Host.run("ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | RuntimeException e) {
                // best effort; deleting the namespace below still frees its links
            }
            try {
                NetnsNode.Host.run("ip", "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("could not delete netns " + ns + ": " + e.getMessage());
            }
        }
        // Failure messages already quote daemon.log; the directories go.
        for (Path dir : dirs) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e.getMessage());
            }
        }
    }
}
