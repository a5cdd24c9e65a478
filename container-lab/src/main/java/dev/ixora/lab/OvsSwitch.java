package dev.ixora.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A lab's private Open vSwitch, for its {@code type: ovs} LANs: its own ovsdb-server and
 * ovs-vswitchd, started inside the lab's switch namespace {@code <lab>-sw} (so the switch-side veth
 * ends are the only ports it can see), with their database, sockets, pid files and logs in
 * {@code <run root>/<lab>/sw/}. Nothing talks to a system OVS or to the host's network: every
 * ovs-vsctl, ovs-ofctl and ovs-appctl call names this lab's socket, or runs with
 * {@code OVS_RUNDIR=<that directory>}, from which OVS derives every default socket path
 * ({@code db.sock}, {@code <bridge>.mgmt}, {@code ovs-vswitchd.<pid>.ctl}).
 *
 * <p>The datapath is the userspace one ({@code datapath_type=netdev}, DESIGN.md "Environment
 * facts": the kernel module is absent); it reads and writes the veth ends through AF_PACKET
 * sockets. A bridge without a controller is in fail mode "standalone", whose single flow
 * {@code priority=0 actions=NORMAL} makes it a learning switch.
 *
 * <pre>{@code
 * OvsSwitch ovs = lab.ovs().orElseThrow();
 * String flows = ovs.ofctl("dump-flows", lab.lanBridge("peering"));
 * String show = ovs.vsctl("show");
 * }</pre>
 */
public final class OvsSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(OvsSwitch.class);
    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    static final List<String> BINARIES = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ethtool");
    /** The two daemons, in the order they are stopped: the switch before its database. */
    private static final List<String> DAEMONS = List.of("ovs-vswitchd", "ovsdb-server");
    private static final long START_TIMEOUT_S = 30;
    /** ovs-vsctl waits for ovs-vswitchd to apply each change; a dead switch must not hang the lab. */
    private static final String VSCTL_TIMEOUT = "--timeout=30";

    private final String lab;
    private final Path dir;

    OvsSwitch(String lab, Path labDir) {
        this.lab = lab;
        this.dir = dir(labDir);
    }

    /** Where a lab's OVS files live: the run directory of the reserved node name "sw". */
    static Path dir(Path labDir) {
        return labDir.resolve("sw");
    }

    /** The directory with the database (conf.db), sockets, pid files and logs. */
    public Path dir() {
        return dir;
    }

    /** ovsdb-server's socket: {@code ovs-vsctl --db=unix:<this>}. */
    public Path dbSocket() {
        return dir.resolve("db.sock");
    }

    /** A bridge's OpenFlow management socket: {@code ovs-ofctl dump-flows unix:<this>}. */
    public Path openFlowSocket(String bridge) {
        return dir.resolve(bridge + ".mgmt");
    }

    public OptionalLong vswitchdPid() {
        return livePid(lab, dir.resolve("ovs-vswitchd.pid"));
    }

    public OptionalLong ovsdbPid() {
        return livePid(lab, dir.resolve("ovsdb-server.pid"));
    }

    /** Runs {@code ovs-vsctl --db=unix:<db.sock> ARGS} and returns its output. */
    public String vsctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dbSocket(), VSCTL_TIMEOUT));
        argv.addAll(List.of(args));
        return Shell.run(argv);
    }

    /** Runs {@code ovs-ofctl COMMAND unix:<bridge.mgmt> ARGS}, e.g. ofctl("dump-flows", "br0"). */
    public String ofctl(String command, String bridge, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-ofctl", command, "unix:" + openFlowSocket(bridge)));
        argv.addAll(List.of(args));
        return Shell.run(argv);
    }

    /** Runs {@code ovs-appctl ARGS} against this lab's ovs-vswitchd, e.g. appctl("fdb/show", "br0"). */
    public String appctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + dir, "ovs-appctl"));
        argv.addAll(List.of(args));
        return Shell.run(argv);
    }

    // ---- life cycle, driven by Wiring and Lab

    /** Throws naming what is missing when OVS (or ethtool) is not installed. */
    static void requireInstalled() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String b : BINARIES) {
            if (!Shell.exec(List.of("sh", "-c", "command -v " + b)).ok()) missing.add(b);
        }
        if (!Files.exists(Path.of(SCHEMA))) missing.add(SCHEMA);
        if (!missing.isEmpty()) {
            throw new IOException("lan type ovs needs Open vSwitch and ethtool; missing " + missing
                    + " (bin/setup installs openvswitch-switch and ethtool)");
        }
    }

    /**
     * Creates a fresh database and starts ovsdb-server, then ovs-vswitchd, both in the switch
     * namespace and in the cgroup ixora-&lt;lab&gt;-sw (so {@link Lab#downByName} finds them even
     * without their pid files). Each is started with --detach, which returns once it is ready.
     */
    void start() throws IOException {
        requireInstalled();
        Files.createDirectories(dir);
        Path db = dir.resolve("conf.db");
        Files.deleteIfExists(db);
        Shell.run("ovsdb-tool", "create", db.toString(), SCHEMA);
        CGroup cg = CGroup.create(Names.cgroup(lab, "sw"), Topology.Limits.NONE);
        launch(cg, "ovsdb-server", db.toString(), "--remote=punix:" + dbSocket());
        vsctl("--no-wait", "init");
        // --disable-system: only the userspace (netdev) datapath, never the kernel one.
        launch(cg, "ovs-vswitchd", "unix:" + dbSocket(), "--disable-system");
        LOG.info("lab={} ovs up: ovsdb-server pid={} ovs-vswitchd pid={}, db unix:{}", lab,
                ovsdbPid().orElse(-1), vswitchdPid().orElse(-1), dbSocket());
    }

    private void launch(CGroup cg, String daemon, String... args) throws IOException {
        StringBuilder script = new StringBuilder();
        for (Path procs : cg.procsFiles()) script.append("echo $$ > ").append(procs).append(" && ");
        script.append("exec ip netns exec ").append(Names.switchNs(lab)).append(" \"$@\"");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script.toString(), "sh", daemon));
        argv.addAll(List.of(args));
        // The control socket keeps its default name, <rundir>/<daemon>.<pid>.ctl, so that a plain
        // `ovs-appctl` with OVS_RUNDIR set finds it (ixora lab exec FILE sw ovs-appctl ...).
        argv.addAll(List.of("--pidfile=" + dir.resolve(daemon + ".pid"), "--log-file=" + dir.resolve(daemon + ".log"),
                "-vsyslog:off", "-vconsole:off", "--detach"));
        Path startLog = dir.resolve(daemon + ".start.log");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(startLog.toFile());
        // Defaults the daemons derive from these (the bridges' <bridge>.mgmt sockets, the control
        // sockets) land in the lab's directory, never in /var/run/openvswitch.
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.environment().put("OVS_DBDIR", dir.toString());
        pb.environment().put("OVS_SYSCONFDIR", dir.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("lab " + lab + ": " + daemon + " not ready after " + START_TIMEOUT_S + " s; "
                        + RunningNode.tail(dir.resolve(daemon + ".log"), 10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + daemon, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("lab " + lab + ": " + daemon + " exited " + p.exitValue() + ": "
                    + RunningNode.tail(startLog, 10) + "\n" + RunningNode.tail(dir.resolve(daemon + ".log"), 10));
        }
    }

    /** A bridge on the userspace datapath; standalone fail mode, so its one flow is NORMAL. */
    void addBridge(String bridge, List<String> ports) throws IOException {
        List<String> args = new ArrayList<>(List.of("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev"));
        for (String port : ports) args.addAll(List.of("--", "add-port", bridge, port));
        vsctl(args.toArray(String[]::new));
    }

    /**
     * argv run in the lab's switch namespace with OVS_RUNDIR set to this switch's directory, so
     * that ovs-vsctl, {@code ovs-ofctl dump-flows br0} and ovs-appctl reach this lab's daemons.
     */
    List<String> inSwitch(List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", Names.switchNs(lab), "env", "OVS_RUNDIR=" + dir));
        cmd.addAll(argv);
        return cmd;
    }

    /**
     * Stops a lab's OVS daemons by their pid files (SIGTERM, then SIGKILL), only when the pid is
     * alive and in the lab's cgroup, and removes the pid files and sockets a killed daemon leaves
     * behind; the database and the logs stay. Returns what it stopped.
     */
    static List<String> stop(String lab, Path labDir) throws IOException {
        Path dir = dir(labDir);
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(dir)) return stopped;
        for (String daemon : DAEMONS) {
            Path pidFile = dir.resolve(daemon + ".pid");
            OptionalLong pid = livePid(lab, pidFile);
            if (pid.isPresent()) {
                LabNode.stop(pid.getAsLong(), 5_000);
                stopped.add("process " + pid.getAsLong() + " (sw/" + daemon + ")");
            }
            Files.deleteIfExists(pidFile);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.equals("db.sock") || n.endsWith(".ctl") || n.endsWith(".mgmt") || n.endsWith(".snoop")) Files.deleteIfExists(f);
            }
        }
        return stopped;
    }

    /** The pid in the file, when that process is alive and in the lab's switch cgroup (not a reused pid). */
    private static OptionalLong livePid(String lab, Path pidFile) {
        try {
            if (!Files.exists(pidFile)) return OptionalLong.empty();
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            String cg = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            String group = "/" + Names.cgroup(lab, "sw");
            return LabNode.alive(pid) && cg.lines().anyMatch(l -> l.endsWith(group)) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
