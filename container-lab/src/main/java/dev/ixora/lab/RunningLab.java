package dev.ixora.lab;

import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a running lab is on either backend ({@link Lab} in namespaces, DockerLab on Docker): a
 * topology, a run directory with one sub-directory per node, and the nodes, in topology order.
 */
public abstract class RunningLab<N extends RunningNode> implements AutoCloseable {
    private final Topology topology;
    private final Path dir;
    private final Map<String, N> nodes = new LinkedHashMap<>();

    /** newNode makes each topology node's node object; nothing is started here. */
    protected RunningLab(Topology topology, Path runRoot, Function<Topology.Node, N> newNode) {
        this.topology = topology;
        this.dir = runRoot.resolve(topology.name());
        for (Topology.Node n : topology.nodes()) nodes.put(n.name(), newNode.apply(n));
    }

    public final String name() {
        return topology.name();
    }

    public final Topology topology() {
        return topology;
    }

    /** The lab's run directory: one sub-directory per node with its config, /run and logs. */
    public final Path dir() {
        return dir;
    }

    public final N node(String name) {
        N n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("no node \"" + name + "\" in lab " + name() + "; nodes: " + nodes.keySet());
        return n;
    }

    public final List<N> nodes() {
        return List.copyOf(nodes.values());
    }

    public final List<SessionInfo> sessions(String node) throws IOException {
        N n = node(node);
        return n.daemon().sessions(n.spec(), n);
    }

    public final List<RouteInfo> routes(String node) throws IOException {
        N n = node(node);
        return n.daemon().routes(n.spec(), n);
    }

    public final String logTail(String node, int lines) {
        return node(node).logTail(lines);
    }

    /**
     * Waits until every configured neighbor of every node reports Established; throws with each
     * node's sessions and log tail when the time is up or a daemon died.
     */
    public final void awaitEstablished(Duration timeout) throws IOException {
        Sessions.awaitEstablished(name(), nodes.values(), timeout);
    }

    /** Stops the lab and removes what it made (by name). Idempotent. */
    public abstract void down() throws IOException;

    @Override
    public final void close() throws IOException {
        down();
    }
}
