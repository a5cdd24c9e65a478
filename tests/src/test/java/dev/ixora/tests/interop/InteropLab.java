package dev.ixora.tests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixora.conf.ConfigException;
import dev.ixora.lab.Lab;
import dev.ixora.lab.LabNode;
import dev.ixora.lab.Topology;
import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A lab of the interop suite: a topology from src/test/resources/topologies, brought up in network
 * namespaces, always taken down by close(). Assertions made through {@link #check} carry every
 * node's sessions, routes and log tail, so a red test says what each daemon saw.
 *
 * <p>Expected route dumps live in src/test/resources/expected/NAME.txt: RouteInfo.normalised()
 * lines, sorted. {@code -Dixora.regenerate=true} rewrites them from what the daemons hold (review
 * the diff by eye before committing).
 */
final class InteropLab implements AutoCloseable {
    static final Duration SESSIONS = Duration.ofSeconds(90);
    static final Duration ROUTES = Duration.ofSeconds(45);

    /** An assertion or lab call that may throw anything. */
    interface Step {
        void run() throws Exception;
    }

    private final Lab lab;

    private InteropLab(Lab lab) {
        this.lab = lab;
    }

    /** Brings up topologies/NAME.yaml, after removing anything a crashed earlier run of it left. */
    static InteropLab up(String topology) throws IOException, ConfigException {
        requireJar();
        Topology t = Topology.parse(resource("topologies/" + topology + ".yaml"), topology + ".yaml");
        Lab.downByName(t.name());
        return new InteropLab(Lab.up(t));
    }

    /** Fails loudly when the shaded jar the ixora nodes run is missing (no silent skip). */
    static Path requireJar() {
        String p = System.getProperty("ixora.jar");
        if (p == null || p.isBlank()) fail("system property ixora.jar is not set (tests/pom.xml sets it for surefire)");
        Path jar = Path.of(p);
        if (!Files.isRegularFile(jar)) {
            fail("the Ixora jar " + jar + " does not exist: build it first with "
                    + "`mvn -o -q -B -DskipTests -pl route-server -am package` (or run `mvn -pl tests -am verify`)");
        }
        return jar;
    }

    Lab lab() {
        return lab;
    }

    LabNode node(String name) {
        return lab.node(name);
    }

    /** Runs step; any failure is rethrown as an AssertionError with the lab's diagnostics appended. */
    void check(String what, Step step) {
        try {
            step.run();
        } catch (AssertionError | Exception e) {
            AssertionError wrapped = new AssertionError(what + ": " + e.getMessage() + "\n" + diagnostics(), e);
            throw wrapped;
        }
    }

    void awaitEstablished() {
        check("sessions Established", () -> lab.awaitEstablished(SESSIONS));
    }

    /** {@link #assertRoutes(String, String, int, Predicate)} over all the node's routes. */
    void assertRoutes(String node, String expectedName, int count) {
        assertRoutes(node, expectedName, count, r -> true);
    }

    /**
     * Waits until node's routes that pass filter, normalised and sorted, equal
     * expected/NAME.txt, and fails with a diff-able message when they do not within the time. With
     * -Dixora.regenerate=true it waits for at least count of them, then (after a settle pause)
     * writes the file.
     */
    void assertRoutes(String node, String expectedName, int count, Predicate<RouteInfo> filter) {
        check("routes of " + node + " vs expected/" + expectedName + ".txt", () -> {
            if (regenerate()) {
                lab.awaitRoutes(node, r -> r.stream().filter(filter).count() >= count, ROUTES);
                Thread.sleep(2_000);
                writeExpected(expectedName, normalised(lab.routes(node), filter));
                return;
            }
            List<String> expected = expected(expectedName);
            try {
                lab.awaitRoutes(node, r -> normalised(r, filter).equals(expected), ROUTES);
            } catch (IOException timeout) {
                assertEquals(String.join("\n", expected), String.join("\n", normalised(lab.routes(node), filter)),
                        "routes of " + node + " (expected/" + expectedName + ".txt)");
                throw timeout;
            }
        });
    }

    /** Waits until the node's routes satisfy done (e.g. a withdrawn prefix is gone). */
    List<RouteInfo> awaitRoutes(String node, String what, Predicate<List<RouteInfo>> done) {
        java.util.concurrent.atomic.AtomicReference<List<RouteInfo>> out = new java.util.concurrent.atomic.AtomicReference<>();
        check(node + ": " + what, () -> out.set(lab.awaitRoutes(node, done, ROUTES)));
        return out.get();
    }

    static List<String> normalised(List<RouteInfo> routes) {
        return normalised(routes, r -> true);
    }

    static List<String> normalised(List<RouteInfo> routes, Predicate<RouteInfo> filter) {
        return routes.stream().filter(filter).map(RouteInfo::normalised).sorted().toList();
    }

    static boolean hasPrefix(List<RouteInfo> routes, String prefix) {
        return routes.stream().anyMatch(r -> r.prefix().equals(prefix));
    }

    /** Each node: kind, daemon pid, sessions, routes, and the daemon log's last lines. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("==== lab " + lab.name() + " (run directory " + lab.dir() + ")");
        for (LabNode n : lab.nodes()) {
            sb.append("\n--- ").append(n.name()).append(" (").append(n.spec().kind()).append(", daemon ")
                    .append(n.daemonPid().isPresent() ? "pid " + n.daemonPid().getAsLong() : "not running").append(")\n");
            try {
                for (SessionInfo s : lab.sessions(n.name())) sb.append("  session ").append(s).append('\n');
            } catch (IOException | RuntimeException e) {
                sb.append("  sessions: ").append(e.getMessage()).append('\n');
            }
            try {
                for (String r : normalised(lab.routes(n.name()))) sb.append("  route ").append(r).append('\n');
            } catch (IOException | RuntimeException e) {
                sb.append("  routes: ").append(e.getMessage()).append('\n');
            }
            sb.append("  log tail:\n");
            for (String l : n.logTail(20).split("\n")) sb.append("    ").append(l).append('\n');
        }
        return sb.toString();
    }

    /** A JSON answer (e.g. from curl or a daemon's -j output) as maps and lists: JSON is YAML 1.2. */
    static Object json(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    /** Ixora's peers as its API lists them (name, state, state_since, ...), read with curl inside node. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ixoraPeers(LabNode node) throws IOException {
        Object v = json(node.run("curl", "-sS", "--fail", "--max-time", "5", "http://127.0.0.1:8080/api/v1/peers"));
        return (List<Map<String, Object>>) ((Map<String, Object>) v).get("peers");
    }

    @Override
    public void close() throws IOException {
        lab.down();
    }

    // ---- files

    static boolean regenerate() {
        return Boolean.getBoolean("ixora.regenerate");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = InteropLab.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("test resource " + name + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> expected(String name) throws IOException {
        return resource("expected/" + name + ".txt").lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    private static void writeExpected(String name, List<String> lines) throws IOException {
        String dir = System.getProperty("ixora.tests.resources");
        if (dir == null) throw new IOException("ixora.tests.resources is not set: cannot regenerate " + name);
        Path file = Path.of(dir, "expected", name + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
