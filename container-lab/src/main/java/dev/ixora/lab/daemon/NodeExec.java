package dev.ixora.lab.daemon;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs commands inside a lab node (its network namespace and its private /etc and /run view), and
 * tells where the node's private directories live on the host.
 */
public interface NodeExec {
    /** Runs argv inside the node, waits, returns stdout; throws when the exit code is not 0. */
    String run(String... argv) throws IOException;

    /** Host path of the directory the node sees as /etc (the overlay's upper layer). */
    Path etcDir();

    /** Host path of the directory the node sees as /run. */
    Path runDir();

    /** Host path for this node's logs and scratch files (kept after the daemon exits). */
    Path workDir();
}
