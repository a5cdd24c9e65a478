package dev.ixora.lab.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The "ixora" kind: Ixora itself, run from its jar with a config written from the NodeSpec, and read
 * back through its HTTP API on 127.0.0.1:8080 inside the node (queried with curl via
 * {@link NodeExec#run}: a JVM HttpClient cannot enter the node's network namespace).
 *
 * <p>The jar: system property {@code ixora.jar}, else env {@code IXORA_JAR}, else the ixora.jar this
 * class was loaded from, else {@code route-server/target/ixora.jar} in the first parent of the
 * working directory that has a route-server directory.
 */
public final class Ixora implements Daemon {
    static final String CONFIG = "/etc/ixora/ixora.yaml";
    static final String API = "http://127.0.0.1:8080";

    @Override
    public String kind() {
        return "ixora";
    }

    @Override
    public void prepare(NodeSpec spec, NodeExec node) throws IOException {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IOException("ixora jar not found at " + jar + " (build it with `mvn -pl route-server -am package "
                    + "-DskipTests`, or set -Dixora.jar / IXORA_JAR)");
        }
        Path dir = node.etcDir().resolve("ixora");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ixora.yaml"), config(spec), StandardCharsets.UTF_8);
    }

    @Override
    public List<String> command(NodeSpec spec, NodeExec node) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = spec.options().getOrDefault("java-opts", "-Xmx512m");
        for (String o : opts.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        cmd.addAll(List.of("-jar", jar().toString(), "run", "--config", CONFIG));
        return cmd;
    }

    @Override
    public List<SessionInfo> sessions(NodeSpec spec, NodeExec node) throws IOException {
        List<SessionInfo> out = new ArrayList<>();
        for (Map<String, Object> p : objects(get(node, "/api/v1/peers"), "peers")) {
            out.add(new SessionInfo(str(p, "address", "neighbor_address", "neighbor-address"),
                    state(str(p, "state", "session-state")), received(p)));
        }
        return out;
    }

    @Override
    public List<RouteInfo> routes(NodeSpec spec, NodeExec node) throws IOException {
        List<RouteInfo> out = new ArrayList<>();
        for (Map<String, Object> r : objects(get(node, "/api/v1/routes"), "routes")) {
            Object med = first(r, "med", "multi-exit-disc");
            // An IPv6 next hop may come as "global,link-local" (RFC 2545 §3): the global one is the next hop.
            String nextHop = str(r, "next_hop", "next-hop", "nextHop");
            if (nextHop != null && nextHop.contains(",")) nextHop = nextHop.substring(0, nextHop.indexOf(','));
            out.add(new RouteInfo(str(r, "prefix"), nextHop, asPath(first(r, "as_path", "as-path", "asPath")),
                    med instanceof Number n ? n.longValue() : null, strings(first(r, "communities")),
                    strings(first(r, "large_communities", "large-communities", "largeCommunities"))));
        }
        return out;
    }

    /** The Ixora config for spec, in the schema of docs/configuration.md. */
    static String config(NodeSpec spec) {
        StringBuilder y = new StringBuilder("# written by the Ixora lab for node " + spec.name() + "\n");
        y.append("router:\n  asn: ").append(spec.asn()).append("\n  router-id: ").append(spec.routerId()).append('\n');
        if ("true".equals(spec.options().get("route-server"))) y.append("route-server: true\n");
        y.append("peers:").append(spec.neighbors().isEmpty() ? " []\n" : "\n");
        for (NodeSpec.Neighbor n : spec.neighbors()) {
            y.append("  - name: ").append(q(n.name())).append('\n')
                    .append("    address: ").append(q(n.address())).append('\n')
                    .append("    asn: ").append(n.asn()).append('\n')
                    .append("    passive: ").append(n.passive()).append('\n')
                    .append("    families: [").append(String.join(", ", n.families())).append("]\n");
            if (n.holdTime() > 0) y.append("    hold-time: ").append(n.holdTime()).append('\n');
        }
        if (!spec.announce().isEmpty()) y.append("announce:\n");
        for (NodeSpec.Announcement a : spec.announce()) {
            y.append("  - prefix: ").append(q(a.prefix())).append('\n');
            if (a.nextHop() != null) y.append("    next-hop: ").append(q(a.nextHop())).append('\n');
            if (a.med() != null) y.append("    med: ").append(a.med()).append('\n');
            if (!a.communities().isEmpty()) y.append("    communities: ").append(list(a.communities())).append('\n');
            if (!a.largeCommunities().isEmpty()) y.append("    large-communities: ").append(list(a.largeCommunities())).append('\n');
        }
        y.append("api:\n  listen: \"127.0.0.1:8080\"\n");
        return y.toString();
    }

    static Path jar() {
        String p = System.getProperty("ixora.jar");
        if (p == null || p.isBlank()) p = System.getenv("IXORA_JAR");
        // Normalised: the Docker backend bind-mounts this path, and "a/../b" does not exist in a container.
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath().normalize();
        // `ixora lab up` runs from the shaded jar itself: use that one.
        try {
            var source = Ixora.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path self = Path.of(source.getLocation().toURI());
                if (self.getFileName().toString().equals("ixora.jar") && Files.isRegularFile(self)) return self;
            }
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException ignored) {
            // fall through to the build directory
        }
        Path rel = Path.of("route-server", "target", "ixora.jar");
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("route-server"))) return d.resolve(rel);
        }
        return rel.toAbsolutePath();
    }

    private static String get(NodeExec node, String path) throws IOException {
        return node.run("curl", "-sS", "--fail", "--max-time", "5", API + path);
    }

    /** The list of objects in an answer that is either a JSON array or an object holding one under key. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(String body, String key) throws IOException {
        Object v;
        try {
            v = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IOException("unreadable answer from the Ixora API: " + e.getMessage() + ": " + body, e);
        }
        if (v instanceof Map<?, ?> m) v = m.get(key);
        if (!(v instanceof List<?> l)) throw new IOException("expected a list of " + key + " from the Ixora API, got: " + body);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) if (o instanceof Map<?, ?> x) out.add((Map<String, Object>) x);
        return out;
    }

    private static Object first(Map<String, Object> m, String... keys) {
        for (String k : keys) if (m.get(k) != null) return m.get(k);
        return null;
    }

    private static String str(Map<String, Object> m, String... keys) {
        Object v = first(m, keys);
        return v == null ? null : v.toString();
    }

    /** RFC 4271 §8.2.2 state names, whatever case or separators the API uses. */
    static String state(String s) {
        if (s == null) return "Idle";
        String k = s.replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT);
        for (String name : List.of("Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established")) {
            if (name.toLowerCase(java.util.Locale.ROOT).equals(k)) return name;
        }
        return s;
    }

    private static long received(Map<String, Object> p) {
        Object v = first(p, "prefixes_received", "prefixes-received", "prefixesReceived");
        if (v instanceof Number n) return n.longValue();
        if (v instanceof Map<?, ?> perFamily) {
            long sum = 0;
            for (Object x : perFamily.values()) if (x instanceof Number n) sum += n.longValue();
            return sum;
        }
        return -1;
    }

    private static List<Long> asPath(Object v) {
        List<Long> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Number n) {
                    out.add(n.longValue());
                } else if (o instanceof List<?> set) {
                    out.addAll(asPath(set)); // an AS_SET, flattened in order
                } else if (o instanceof Map<?, ?> seg) {
                    out.addAll(asPath(seg.get("asns"))); // a segment object {"type": ..., "asns": [...]}
                }
            }
        } else if (v instanceof String s) {
            // AsPath.toString(): sequences space-separated, AS_SET "{a,b}", confederation segments "(..)" "[..]"
            for (String t : s.replaceAll("[{}(),\\[\\]]", " ").trim().split("\\s+")) {
                if (t.matches("\\d{1,10}")) out.add(Long.parseLong(t));
            }
        }
        return out;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String list(List<String> items) {
        List<String> quoted = new ArrayList<>();
        for (String s : items) quoted.add(q(s));
        return "[" + String.join(", ", quoted) + "]";
    }
}
