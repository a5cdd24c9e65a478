package dev.ixora.lab.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.ixora.lab.Daemons;
import dev.ixora.lab.RunningLab;
import dev.ixora.lab.Topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A topology running on Docker through Testcontainers: one container of the lab image per node
 * ({@link DockerNode}), one Docker bridge network per LAN, the same daemon adapters as the
 * namespace backend ({@link dev.ixora.lab.Lab}): their prepare() writes the config on the host,
 * their command() is the container's main process, their sessions()/routes() run through
 * {@code docker exec}.
 *
 * <pre>{@code
 * try (DockerLab lab = DockerLab.up(Topology.load(file), DockerEngine.labImage())) {
 *     lab.awaitEstablished(Duration.ofSeconds(60));
 *     List<RouteInfo> routes = lab.routes("bird1");
 * }
 * }</pre>
 *
 * Everything it creates is named {@code ixora-lab-<lab>-*}; {@link #down} (or
 * {@link #downByName}, after a crash) removes it. Ixora nodes need the shaded jar (it is
 * bind-mounted read-only at the same path) and use the image's Java 17.
 */
public final class DockerLab extends RunningLab<DockerNode> {
    /** Default run root: not the namespace backend's, so a lab of the same name may run on both. */
    public static final Path DEFAULT_RUN_ROOT = Path.of("/tmp/ixora-lab-docker");

    private DockerLab(Topology topology, Path runRoot) {
        super(topology, runRoot, n -> new DockerNode(topology.name(), n, Daemons.forKind(n.kind()), runRoot.resolve(topology.name())));
    }

    /** Brings the topology up on Docker with run directories under runRoot/&lt;lab&gt;; on failure removes what it made. */
    public static DockerLab up(Topology topology, String image, Path runRoot) throws IOException {
        DockerEngine.checkEnvironment();
        DockerClient docker = DockerEngine.client();
        List<String> leftovers = leftovers(docker, topology.name());
        if (!leftovers.isEmpty()) {
            throw new IOException("lab " + topology.name() + " is already up on Docker (or crashed): " + leftovers
                    + "; run DockerLab.downByName(\"" + topology.name() + "\") first");
        }
        DockerLab lab = new DockerLab(topology, runRoot); // resolves every adapter before touching anything
        try {
            deleteTree(lab.dir());
            // Users inside the containers (zebra runs as frr) must reach the bind-mounted node dirs.
            if (!Files.exists(runRoot)) {
                Files.createDirectories(runRoot);
                Files.setPosixFilePermissions(runRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.createDirectories(lab.dir());
            Files.setPosixFilePermissions(lab.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            for (DockerNode n : lab.nodes()) {
                for (Path p : List.of(n.etcDir(), n.runDir(), n.workDir())) Files.createDirectories(p);
            }
            Map<DockerNode, NodeContainer> containers = new LinkedHashMap<>();
            for (DockerNode n : lab.nodes()) {
                Files.setPosixFilePermissions(n.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
                n.daemon().prepare(n.spec(), n);
                NodeContainer c = new NodeContainer(image, topology.name(), n);
                StartScript.write(n, command(n, c));
                bindEtc(n, c);
                containers.put(n, c);
            }
            DockerLans.create(docker, topology);
            for (Map.Entry<DockerNode, NodeContainer> e : containers.entrySet()) {
                e.getKey().attach(e.getValue());
                e.getValue().start();
            }
            Files.writeString(lab.dir().resolve("lab.state"), "lab=" + topology.name() + "\nbackend=docker\nimage=" + image
                    + "\nstate=up\n", StandardCharsets.UTF_8);
            return lab;
        } catch (IOException | RuntimeException e) {
            try {
                lab.down();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** {@link #up(Topology, String, Path)} under {@link #DEFAULT_RUN_ROOT}. */
    public static DockerLab up(Topology topology, String image) throws IOException {
        return up(topology, image, DEFAULT_RUN_ROOT);
    }

    /**
     * The adapter's command, made to run in the image: the host's own java binary becomes the
     * image's (both are Debian's OpenJDK 17), and the jar after {@code -jar} is bind-mounted
     * read-only at its host path.
     */
    private static List<String> command(DockerNode n, NodeContainer c) throws IOException {
        List<String> cmd = new ArrayList<>(n.daemon().command(n.spec(), n));
        String hostJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!cmd.isEmpty() && cmd.get(0).equals(hostJava)) cmd.set(0, "java");
        int jar = cmd.indexOf("-jar");
        if (jar >= 0 && jar + 1 < cmd.size()) {
            Path file = Path.of(cmd.get(jar + 1)).toAbsolutePath();
            if (!Files.isRegularFile(file)) throw new IOException("node " + n.name() + ": jar " + file + " not found");
            c.bind(file.toString(), file.toString(), true);
        }
        return cmd;
    }

    /** Each entry the adapter wrote under etcDir (e.g. etc/ixora) is bind-mounted on /etc/&lt;entry&gt;. */
    private static void bindEtc(DockerNode n, NodeContainer c) throws IOException {
        try (Stream<Path> s = Files.list(n.etcDir())) {
            for (Path p : s.sorted().toList()) c.bind(p.toString(), "/etc/" + p.getFileName(), false);
        }
    }

    /** Removes the lab's containers and networks; logs stay in {@link #dir()}. Idempotent. */
    @Override
    public void down() throws IOException {
        List<String> failures = new ArrayList<>();
        for (DockerNode n : nodes()) {
            NodeContainer c = n.container();
            if (c == null) continue;
            try {
                c.stop(); // stop and remove
            } catch (RuntimeException e) {
                failures.add(n.containerName() + ": " + e.getMessage());
            }
        }
        try {
            downByName(name());
        } catch (IOException e) {
            failures.add(e.getMessage());
        }
        Files.deleteIfExists(dir().resolve("lab.state"));
        if (!failures.isEmpty()) throw new IOException("lab " + name() + ": could not remove " + failures);
    }

    /**
     * Removes every container and network named {@code ixora-lab-<labName>-*}, even after a crash
     * of the process that made them. Returns what it removed; throws naming what it could not.
     */
    public static List<String> downByName(String labName) throws IOException {
        if (!labName.matches("[A-Za-z0-9_]{1,24}")) throw new IllegalArgumentException("bad lab name " + labName);
        DockerClient docker = DockerEngine.client();
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String prefix = DockerNames.prefix(labName);
        for (Container c : containers(docker, labName)) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add("container " + c.getNames()[0].substring(1));
            } catch (RuntimeException e) {
                failures.add("container " + c.getNames()[0].substring(1) + ": " + e.getMessage());
            }
        }
        for (Network n : docker.listNetworksCmd().withNameFilter(prefix).exec()) {
            if (!n.getName().startsWith(prefix)) continue;
            try {
                docker.removeNetworkCmd(n.getId()).exec();
                removed.add("network " + n.getName());
            } catch (RuntimeException e) {
                failures.add("network " + n.getName() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) throw new IOException("lab " + labName + ": could not remove " + failures);
        return removed;
    }

    private static List<Container> containers(DockerClient docker, String labName) {
        String prefix = "/" + DockerNames.prefix(labName);
        return docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(DockerNames.prefix(labName))).exec()
                .stream().filter(c -> c.getNames() != null && Stream.of(c.getNames()).anyMatch(x -> x.startsWith(prefix)))
                .toList();
    }

    /** Containers and networks named after the lab. */
    static List<String> leftovers(DockerClient docker, String labName) {
        List<String> out = new ArrayList<>();
        for (Container c : containers(docker, labName)) out.add("container " + c.getNames()[0].substring(1));
        String prefix = DockerNames.prefix(labName);
        for (Network n : docker.listNetworksCmd().withNameFilter(prefix).exec()) {
            if (n.getName().startsWith(prefix)) out.add("network " + n.getName());
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
