package dev.ixora.lab.daemon;

import java.io.IOException;
import java.util.List;

/**
 * One routing daemon kind of the lab (bird, frr, gobgp, openbgpd, exabgp, ixora): how to configure
 * it from a {@link NodeSpec}, how to start it inside a node, and how to read back its sessions and
 * routes in a daemon-independent form.
 */
public interface Daemon {
    /** The node kind in topology files: "bird", "frr", "gobgp", "openbgpd", "exabgp", "ixora". */
    String kind();

    /** Writes the daemon's config (and anything else it needs) under node.etcDir()/runDir()/workDir(). */
    void prepare(NodeSpec spec, NodeExec node) throws IOException;

    /**
     * The foreground command that runs the daemon inside the node (paths as the node sees them).
     * The lab starts it, keeps its pid, sends its output to workDir()/daemon.log, and stops it with
     * SIGTERM (then SIGKILL).
     */
    List<String> command(NodeSpec spec, NodeExec node);

    /** The daemon's BGP sessions as it reports them (from its own CLI). */
    List<SessionInfo> sessions(NodeSpec spec, NodeExec node) throws IOException;

    /** The best routes the daemon holds, received from its neighbors (not the ones it originates). */
    List<RouteInfo> routes(NodeSpec spec, NodeExec node) throws IOException;
}
