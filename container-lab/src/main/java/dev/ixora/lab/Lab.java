package dev.ixora.lab;

import dev.ixora.lab.daemon.RouteInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A running lab: the nodes of a {@link Topology} in network namespaces, wired to their LANs, each
 * running its daemon. {@link #up} builds it, {@link #down} (or close) removes every namespace,
 * cgroup and process it made; logs stay in the run directory.
 *
 * <pre>{@code
 * try (Lab lab = Lab.up(Topology.load(file), Path.of("/tmp/ixora-lab"))) {
 *     lab.awaitEstablished(Duration.ofSeconds(60));
 *     List<RouteInfo> routes = lab.routes("bird1");
 * }
 * }</pre>
 */
public final class Lab extends RunningLab<LabNode> {
    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    /** The lab's private Open vSwitch, when a LAN has type ovs; else null. */
    private final OvsSwitch ovs;

    private Lab(Topology topology, Path runRoot) {
        super(topology, runRoot, n -> new LabNode(topology.name(), n, Daemons.forKind(n.kind()), runRoot.resolve(topology.name())));
        this.ovs = topology.lans().stream().anyMatch(l -> l.type() == Topology.LanType.OVS)
                ? new OvsSwitch(topology.name(), dir()) : null;
    }

    /** Brings the topology up under runRoot/&lt;lab&gt;; on failure removes what it made and throws. */
    public static Lab up(Topology topology, Path runRoot) throws IOException {
        List<String> leftovers = leftoverNamespaces(topology.name());
        if (!leftovers.isEmpty()) {
            throw new IOException("lab " + topology.name() + " is already up (or crashed): namespaces " + leftovers
                    + " exist; run `ixora lab down` or Lab.downByName(\"" + topology.name() + "\") first");
        }
        Lab lab = new Lab(topology, runRoot); // resolves every daemon adapter before touching anything
        try {
            deleteTree(lab.dir());
            Files.createDirectories(lab.dir());
            for (LabNode n : lab.nodes()) n.createDirs();
            new Wiring(topology, lab.ovs).build();
            for (LabNode n : lab.nodes()) {
                CGroup.create(Names.cgroup(topology.name(), n.name()), n.topologyNode().limits());
                n.startHolder();
            }
            for (LabNode n : lab.nodes()) n.daemon().prepare(n.spec(), n);
            for (LabNode n : lab.nodes()) n.startDaemon();
            Files.writeString(lab.dir().resolve("lab.state"), "lab=" + topology.name() + "\nstate=up\n", StandardCharsets.UTF_8);
            LOG.info("lab={} up: {} nodes, {} LANs, run directory {}", topology.name(), topology.nodes().size(),
                    topology.lans().size(), lab.dir());
            return lab;
        } catch (IOException | RuntimeException e) {
            LOG.warn("lab={} up failed, removing what was built: {}", topology.name(), e.getMessage());
            try {
                lab.down();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** {@link #up} under the default run root /tmp/ixora-lab. */
    public static Lab up(Topology topology) throws IOException {
        return up(topology, Names.DEFAULT_RUN_ROOT);
    }

    /** A handle on a lab that another process brought up (for `ixora lab status|exec|down`). */
    public static Lab attach(Topology topology, Path runRoot) throws IOException {
        Lab lab = new Lab(topology, runRoot);
        if (!Files.exists(lab.dir().resolve("lab.state"))) {
            throw new IOException("lab " + topology.name() + " is not up (no " + lab.dir().resolve("lab.state") + ")");
        }
        return lab;
    }

    /** The lab's private Open vSwitch (its sockets, ovs-vsctl/ovs-ofctl), present when a LAN has type ovs. */
    public Optional<OvsSwitch> ovs() {
        return Optional.ofNullable(ovs);
    }

    /** The namespace holding the lab's LAN bridges ("&lt;lab&gt;-sw"). */
    public String switchNamespace() {
        return Names.switchNs(name());
    }

    /**
     * argv as a command in the switch namespace (for `ixora lab exec FILE sw CMD`): e.g.
     * {@code bridge fdb show}, or with ovs LANs {@code ovs-vsctl show}, {@code ovs-ofctl
     * dump-flows br0}, {@code ovs-appctl fdb/show br0}, which find the lab's own OVS through
     * OVS_RUNDIR.
     */
    public List<String> switchCommand(List<String> argv) {
        if (ovs != null) return ovs.inSwitch(argv);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", switchNamespace()));
        cmd.addAll(argv);
        return cmd;
    }

    /**
     * The bridge of a LAN of type bridge or ovs, inside {@link #switchNamespace()}: a Linux bridge,
     * or the OVS bridge name for {@link OvsSwitch#ofctl}.
     */
    public String lanBridge(String lan) {
        List<Topology.Lan> lans = topology().lans();
        for (int i = 0; i < lans.size(); i++) {
            if (!lans.get(i).name().equals(lan)) continue;
            if (lans.get(i).type() == Topology.LanType.P2P) throw new IllegalArgumentException("LAN " + lan + " is p2p: it has no bridge");
            return Names.bridge(i);
        }
        throw new IllegalArgumentException("no LAN \"" + lan + "\" in lab " + name());
    }

    /**
     * Polls the node's routes until done accepts them, and returns them; throws with the last
     * routes seen and the daemon's log tail when the time is up.
     */
    public List<RouteInfo> awaitRoutes(String node, Predicate<List<RouteInfo>> done, Duration timeout) throws IOException {
        LabNode n = node(node);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<RouteInfo> last = List.of();
        String lastError = "";
        while (true) {
            try {
                last = n.daemon().routes(n.spec(), n);
                lastError = "";
                if (done.test(last)) return last;
            } catch (IOException | RuntimeException e) {
                lastError = " (last error: " + e.getMessage() + ")";
            }
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("node " + node + ": routes not as expected after " + timeout + lastError + "; it has:");
                for (RouteInfo r : last) sb.append("\n  ").append(r.normalised());
                throw new IOException(sb.append("\n--- log tail:\n").append(n.logTail(15)).toString());
            }
            CGroup.sleep(500);
        }
    }

    /**
     * Stops every daemon (SIGTERM, then SIGKILL), then removes everything named after the lab.
     * Idempotent. Throws when something could not be removed, naming it.
     */
    @Override
    public void down() throws IOException {
        for (LabNode n : nodes()) n.stopAll();
        downByName(name(), dir().getParent());
    }

    /** {@link #downByName(String, Path)} with the default run root. */
    public static List<String> downByName(String labName) throws IOException {
        return downByName(labName, Names.DEFAULT_RUN_ROOT);
    }

    /**
     * Removes everything a lab of that name left behind, even after a crash: processes whose pid
     * files are in its run directory (node daemons and holders, the OVS daemons of ovs LANs), every process in its namespaces and cgroups, the namespaces
     * "&lt;lab&gt;-*" and the cgroups "ixora-&lt;lab&gt;-*". The nodes' mounts live only in their
     * holders' mount namespaces, so they go with the processes. Returns what it removed.
     */
    public static List<String> downByName(String labName, Path runRoot) throws IOException {
        if (!labName.matches(Topology.NAME_LAB)) throw new IllegalArgumentException("bad lab name " + labName);
        List<String> removed = new ArrayList<>();
        Path labDir = runRoot.resolve(labName);
        removed.addAll(OvsSwitch.stop(labName, labDir));
        if (Files.isDirectory(labDir)) {
            try (Stream<Path> s = Files.list(labDir)) {
                for (Path nodeDir : s.filter(Files::isDirectory).toList()) {
                    for (String f : List.of("daemon.pid", "holder.pid")) {
                        OptionalLong pid = pidOfLab(nodeDir.resolve(f), labName);
                        if (pid.isPresent()) {
                            LabNode.stop(pid.getAsLong(), 2_000);
                            removed.add("process " + pid.getAsLong() + " (" + nodeDir.getFileName() + "/" + f + ")");
                        }
                        Files.deleteIfExists(nodeDir.resolve(f));
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>();
        for (String ns : leftoverNamespaces(labName)) {
            Shell.Result pids = Shell.exec(List.of("ip", "netns", "pids", ns));
            for (String p : pids.stdout().split("\\s+")) {
                if (!p.isBlank()) ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
            }
            Shell.Result del = Shell.exec(List.of("ip", "netns", "del", ns));
            if (del.ok()) removed.add("namespace " + ns);
            else failures.add("namespace " + ns + ": " + del.stderr().strip());
        }
        for (CGroup g : CGroup.existing(Names.cgroupPrefix(labName))) {
            if (g.destroy()) removed.add("cgroup " + g.dirs().get(0));
            else failures.add("cgroup " + g.dirs().get(0) + " still has processes " + g.pids());
        }
        Files.deleteIfExists(labDir.resolve("lab.state"));
        if (!failures.isEmpty()) throw new IOException("lab " + labName + ": could not remove " + failures);
        if (!removed.isEmpty()) LOG.info("lab={} down: removed {}", labName, removed);
        return removed;
    }

    /** Namespaces named after the lab ("&lt;lab&gt;-..."). */
    static List<String> leftoverNamespaces(String labName) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(Names.netnsPrefix(labName))) out.add(ns);
        }
        return out;
    }

    /** The pid in the file, if that process is alive and in one of the lab's cgroups. */
    private static OptionalLong pidOfLab(Path pidFile, String labName) {
        try {
            if (!Files.exists(pidFile)) return OptionalLong.empty();
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            String cg = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            String prefix = "/" + Names.cgroupPrefix(labName);
            boolean ours = cg.lines().anyMatch(l -> l.contains(prefix));
            return ours && LabNode.alive(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
