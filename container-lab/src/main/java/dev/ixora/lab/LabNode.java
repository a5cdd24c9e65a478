package dev.ixora.lab;

import dev.ixora.lab.daemon.Daemon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One running lab node: a network namespace, a long-lived "holder" process that owns the node's
 * mount namespace (overlay on /etc, a private /run) and UTS namespace (hostname = node name), a
 * cgroup, and the daemon. Every command and
 * the daemon itself enter the holder's namespaces with nsenter, so `birdc` or `vtysh` see the same
 * /etc and /run as the daemon they talk to.
 *
 * <p>On the host, under the lab's run directory: {@code <node>/upper/etc} (the node's /etc changes),
 * {@code <node>/work} (overlayfs work dir), {@code <node>/run} (the node's /run), {@code <node>/log}
 * (daemon.log and scratch files), {@code holder.pid} and {@code daemon.pid}.
 */
public final class LabNode extends RunningNode {
    private static final Logger LOG = LoggerFactory.getLogger(LabNode.class);
    private static final long STOP_GRACE_MS = 10_000;

    private final String lab;

    LabNode(String lab, Topology.Node node, Daemon daemon, Path labDir) {
        super(node, daemon, labDir);
        this.lab = lab;
    }

    /** The node's network namespace, usable with `ip netns exec`. */
    public String namespace() {
        return Names.netns(lab, name());
    }

    /** The node's interface on a LAN ("eth0" for its first LAN, and so on). */
    public String interfaceOn(String lan) {
        return Wiring.ifname(topologyNode(), lan);
    }

    @Override
    public Path etcDir() {
        return dir().resolve("upper/etc");
    }

    Path overlayWorkDir() {
        return dir().resolve("work/etc");
    }

    public CGroup cgroup() throws IOException {
        return CGroup.named(Names.cgroup(lab, name()));
    }

    @Override
    public String run(String... argv) throws IOException {
        return Shell.run(enter(List.of(argv)));
    }

    /** Runs argv in the node and returns exit code and both outputs, whatever the exit code. */
    public Shell.Result exec(List<String> argv) throws IOException {
        return Shell.exec(enter(argv));
    }

    /** Runs argv in the node with this process's stdin, stdout and stderr (for `ixora lab exec`); returns the exit code. */
    public int execInteractive(List<String> argv) throws IOException, InterruptedException {
        return new ProcessBuilder(enter(argv)).inheritIO().start().waitFor();
    }

    private List<String> enter(List<String> argv) throws IOException {
        long holder = holderPid().orElseThrow(() -> new IOException("node " + name() + " is not running (no holder process)"));
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder), "-m", "-n", "-u", "--"));
        cmd.addAll(argv);
        return cmd;
    }

    // ---- life cycle, driven by Lab

    void createDirs() throws IOException {
        for (Path p : List.of(etcDir(), overlayWorkDir(), runDir(), workDir())) Files.createDirectories(p);
    }

    /**
     * Starts the holder: in the node's network namespace (ip netns exec also gives it a fresh
     * /sys), a new private mount namespace with the overlay on /etc and the node's run dir bound on
     * /run; it writes its pid once the mounts are done, then sleeps until killed.
     */
    void startHolder() throws IOException {
        Path pidFile = dir().resolve("holder.pid");
        Files.deleteIfExists(pidFile);
        String script = "set -e; "
                + "echo " + name() + " > /proc/sys/kernel/hostname; " // its own UTS namespace: prompts and logs name the node
                + "mount -t overlay overlay -o lowerdir=/etc,upperdir=" + etcDir() + ",workdir=" + overlayWorkDir() + " /etc; "
                + "mount --bind " + runDir() + " /run; "
                + "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile + "; "
                + "exec sleep infinity";
        // setsid: the node must outlive this JVM (`ixora lab up` returns) and not get the terminal's ^C.
        ProcessBuilder pb = new ProcessBuilder("setsid", "ip", "netns", "exec", namespace(),
                "unshare", "-m", "-u", "--propagation", "private", "sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir().resolve("holder.log").toFile()));
        Process p = pb.start();
        for (int i = 0; i < 200 && !Files.exists(pidFile); i++) {
            if (!p.isAlive()) break;
            CGroup.sleep(50);
        }
        if (!Files.exists(pidFile)) {
            p.destroyForcibly();
            String log = tail(workDir().resolve("holder.log"), 10);
            String hint = log.contains("mount") ? " (the overlay's upper layer must be on ext4, xfs or tmpfs, not on another "
                    + "overlay: choose another run root, e.g. IXORA_LAB_DIR)" : "";
            throw new IOException("node " + name() + ": holder did not start: " + log + hint);
        }
        cgroup().add(Long.parseLong(Files.readString(pidFile).strip()));
    }

    /** Starts the daemon inside the node, in the node's cgroup, output appended to daemon.log. */
    void startDaemon() throws IOException {
        long holder = holderPid().orElseThrow(() -> new IOException("node " + name() + " has no holder"));
        List<String> command = daemon().command(spec(), this);
        // The shell joins the cgroup from the host's mount namespace (inside the node /sys has no
        // cgroup mounts), then execs nsenter, which execs the daemon: one pid throughout.
        StringBuilder script = new StringBuilder();
        for (Path procs : cgroup().procsFiles()) script.append("echo $$ > ").append(procs).append(" && ");
        script.append("exec nsenter -t ").append(holder).append(" -m -n -u -- \"$@\"");
        List<String> argv = new ArrayList<>(List.of("setsid", "sh", "-c", script.toString(), "sh"));
        argv.addAll(command);
        Files.writeString(daemonLog(), "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(argv)
                .directory(workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog().toFile()))
                .start();
        Files.writeString(dir().resolve("daemon.pid"), Long.toString(p.pid()) + "\n");
        LOG.info("lab={} node={} kind={} daemon pid={}: {}", lab, name(), topologyNode().kind(), p.pid(), String.join(" ", command));
        // Return once the process has joined its cgroup (the first thing its shell does).
        CGroup cg = cgroup();
        for (int i = 0; i < 200 && p.isAlive() && !cg.pids().contains(p.pid()); i++) CGroup.sleep(25);
        if (!p.isAlive() && p.exitValue() != 0) {
            throw new IOException("node " + name() + ": daemon exited at once with " + p.exitValue() + ": " + logTail(10));
        }
    }

    /** Stops the daemon: SIGTERM, then SIGKILL after a grace period. */
    public void stopDaemon() {
        daemonPid().ifPresent(pid -> stop(pid, STOP_GRACE_MS));
        quietDelete(dir().resolve("daemon.pid"));
    }

    /** Starts the daemon again (after {@link #stopDaemon}), with the same config. */
    public void restartDaemon() throws IOException {
        stopDaemon();
        startDaemon();
    }

    /** Stops daemon and holder; the node's namespace and cgroup are removed by Lab. */
    void stopAll() {
        stopDaemon();
        holderPid().ifPresent(pid -> stop(pid, 2_000));
        quietDelete(dir().resolve("holder.pid"));
    }

    @Override
    public boolean daemonAlive() {
        return daemonPid().isPresent();
    }

    /** The daemon's pid, when it is running. */
    public OptionalLong daemonPid() {
        return livePid(dir().resolve("daemon.pid"));
    }

    /** The holder's pid, when it is running. */
    public OptionalLong holderPid() {
        return livePid(dir().resolve("holder.pid"));
    }

    /**
     * The pid in file if that process is alive and still one of this node's (its cgroup names the
     * node): guards against a pid reused after a crash.
     */
    private OptionalLong livePid(Path file) {
        try {
            if (!Files.exists(file)) return OptionalLong.empty();
            long pid = Long.parseLong(Files.readString(file).strip());
            String state = Files.readString(Path.of("/proc/" + pid + "/stat"));
            if (state.substring(state.lastIndexOf(')') + 2).startsWith("Z")) return OptionalLong.empty();
            String cg = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            String group = "/" + Names.cgroup(lab, name());
            return cg.lines().anyMatch(l -> l.endsWith(group)) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
    }

    static void stop(long pid, long graceMs) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            for (long waited = 0; waited < graceMs && alive(pid); waited += 50) CGroup.sleep(50);
            if (alive(pid)) h.destroyForcibly();
            for (int i = 0; i < 40 && alive(pid); i++) CGroup.sleep(50);
        });
    }

    /** Alive and not a zombie. */
    static boolean alive(long pid) {
        try {
            String state = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !state.substring(state.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static void quietDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
