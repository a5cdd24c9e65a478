package dev.ixora.lab;

import dev.ixora.lab.daemon.Daemon;
import dev.ixora.lab.daemon.NodeExec;
import dev.ixora.lab.daemon.NodeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a lab node is on either backend ({@link LabNode} in namespaces, DockerNode in a container):
 * a topology node, its daemon adapter, and the node's directory on the host, where {@code run}
 * is the node's /run and {@code log} holds daemon.log and the adapter's files.
 */
public abstract class RunningNode implements NodeExec {
    private final Topology.Node node;
    private final Daemon daemon;
    private final Path dir;

    protected RunningNode(Topology.Node node, Daemon daemon, Path labDir) {
        this.node = node;
        this.daemon = daemon;
        this.dir = labDir.resolve(node.name());
    }

    public final String name() {
        return node.name();
    }

    public final NodeSpec spec() {
        return node.spec();
    }

    public final Daemon daemon() {
        return daemon;
    }

    public final Topology.Node topologyNode() {
        return node;
    }

    /** The node's own directory on the host, under the lab's run directory. */
    public final Path dir() {
        return dir;
    }

    @Override
    public final Path runDir() {
        return dir.resolve("run");
    }

    @Override
    public final Path workDir() {
        return dir.resolve("log");
    }

    public final Path daemonLog() {
        return workDir().resolve("daemon.log");
    }

    /** Whether the node's daemon is running. */
    public abstract boolean daemonAlive();

    /** The last lines of the daemon's log. */
    public final String logTail(int lines) {
        return tail(daemonLog(), lines);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
