package dev.ixora.lab.docker;

import dev.ixora.lab.RunningNode;
import dev.ixora.lab.Topology;
import dev.ixora.lab.daemon.Daemon;
import org.testcontainers.containers.Container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One lab node on Docker: a container of the lab image named {@code ixora-lab-<lab>-<node>}, whose
 * first process is the node's daemon. The node's directory on the host is bind-mounted at the same
 * path inside the container, so the paths the daemon adapters write into configs and pass by flag
 * (all under {@link #workDir()}) mean the same thing on both sides; {@link #runDir()} is the
 * container's /run and each entry of {@link #etcDir()} is bind-mounted on /etc/&lt;entry&gt;.
 *
 * <p>On the host, under the lab's run directory: {@code <node>/etc}, {@code <node>/run},
 * {@code <node>/log} (daemon.log and the adapter's files) and {@code <node>/docker-start.sh}.
 */
public final class DockerNode extends RunningNode {
    private final String containerName;
    private NodeContainer container;

    DockerNode(String lab, Topology.Node node, Daemon daemon, Path labDir) {
        super(node, daemon, labDir);
        this.containerName = DockerNames.container(lab, node.name());
    }

    /** The container's name: {@code ixora-lab-<lab>-<node>} (usable with {@code docker exec}). */
    public String containerName() {
        return containerName;
    }

    @Override
    public Path etcDir() {
        return dir().resolve("etc");
    }

    void attach(NodeContainer c) {
        this.container = c;
    }

    NodeContainer container() {
        return container;
    }

    @Override
    public String run(String... argv) throws IOException {
        Container.ExecResult r = exec(List.of(argv));
        if (r.getExitCode() != 0) {
            throw new IOException("node " + name() + ": exit " + r.getExitCode() + " from " + List.of(argv) + ": "
                    + r.getStderr().strip() + (r.getStdout().isBlank() ? "" : " (stdout: " + r.getStdout().strip() + ")"));
        }
        return r.getStdout();
    }

    /** Runs argv in the node's container (docker exec, as root) and returns exit code and both outputs. */
    public Container.ExecResult exec(List<String> argv) throws IOException {
        if (container == null || !container.isRunning()) {
            throw new IOException("node " + name() + ": container " + containerName + " is not running; log tail:\n"
                    + logTail(15));
        }
        try {
            return container.execInContainer(StandardCharsets.UTF_8, argv.toArray(String[]::new));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + argv, e);
        } catch (RuntimeException e) {
            throw new IOException("node " + name() + ": docker exec " + argv + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the daemon runs: it is the container's main process, so whether the container runs. */
    @Override
    public boolean daemonAlive() {
        return container != null && container.isRunning();
    }

    /** Stops the daemon (docker stop: SIGTERM through docker-init, SIGKILL after 10 s); the container stays. */
    public void stopDaemon() {
        if (container != null && container.getContainerId() != null) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
        }
    }

    /** Starts the daemon again after {@link #stopDaemon}, with the same config and addresses. */
    public void startDaemon() {
        if (container != null && container.getContainerId() != null) {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
    }

    /** Stops and starts the daemon. */
    public void restartDaemon() {
        stopDaemon();
        startDaemon();
    }
}
