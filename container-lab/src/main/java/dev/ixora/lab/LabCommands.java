package dev.ixora.lab;

import dev.ixora.conf.ConfigException;
import dev.ixora.lab.daemon.SessionInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What `ixora lab up|down|status|exec` do; the route-server's CLI calls these. State lives in the
 * run directory ($IXORA_LAB_DIR, default /tmp/ixora-lab), so each command may run in a new process.
 */
public final class LabCommands {
    private LabCommands() {
    }

    /** The run root: $IXORA_LAB_DIR or /tmp/ixora-lab. */
    public static Path runRoot() {
        String env = System.getenv("IXORA_LAB_DIR");
        return env == null || env.isBlank() ? Names.DEFAULT_RUN_ROOT : Path.of(env);
    }

    /** Brings the topology up and returns a summary; the nodes keep running after this process exits. */
    public static String up(Path topologyFile) throws IOException, ConfigException {
        Topology t = Topology.load(topologyFile);
        Lab lab = Lab.up(t, runRoot());
        return "lab " + t.name() + " is up (" + t.nodes().size() + " nodes, run directory " + lab.dir() + ")\n" + table(lab);
    }

    /** Stops the lab's daemons and removes its namespaces and cgroups, also after a crash. */
    public static String down(Path topologyFile) throws IOException, ConfigException {
        Topology t = Topology.load(topologyFile);
        try {
            Lab.attach(t, runRoot()).down();
            return "lab " + t.name() + " is down\n";
        } catch (IOException notUp) {
            List<String> removed = Lab.downByName(t.name(), runRoot());
            return "lab " + t.name() + ": removed " + (removed.isEmpty() ? "nothing (it was not up)" : String.join(", ", removed)) + "\n";
        }
    }

    /** Removes whatever a lab of this name left behind, without its topology file. */
    public static String downByName(String labName) throws IOException {
        List<String> removed = Lab.downByName(labName, runRoot());
        return "lab " + labName + ": removed " + (removed.isEmpty() ? "nothing" : String.join(", ", removed)) + "\n";
    }

    /**
     * One line per node: kind, daemon pid, addresses, sessions established; under it one line per
     * BGP session as the node's daemon reports it (neighbor, RFC 4271 state, prefixes received).
     */
    public static String status(Path topologyFile) throws IOException, ConfigException {
        Topology t = Topology.load(topologyFile);
        Lab lab = Lab.attach(t, runRoot());
        return "lab " + t.name() + " (run directory " + lab.dir() + ")\n" + table(lab);
    }

    /** Runs argv inside a node with this terminal; returns its exit code. */
    public static int exec(Path topologyFile, String node, List<String> argv) throws IOException, ConfigException, InterruptedException {
        if (argv.isEmpty()) throw new IllegalArgumentException("exec needs a command");
        Lab lab = Lab.attach(Topology.load(topologyFile), runRoot());
        if (node.equals("sw")) { // a reserved node name
            // the switch namespace: its bridges, and the lab's own OVS when a LAN has type ovs
            return new ProcessBuilder(lab.switchCommand(argv)).inheritIO().start().waitFor();
        }
        return lab.node(node).execInteractive(argv);
    }

    /**
     * The same commands without the ixora CLI:
     * {@code java -cp ... dev.ixora.lab.LabCommands up|down|status FILE | exec FILE NODE CMD... | down-name LAB}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LabCommands up|down|status FILE | exec FILE NODE CMD... | down-name LAB");
            System.exit(2);
        }
        try {
            switch (args[0]) {
                case "up" -> System.out.print(up(Path.of(args[1])));
                case "down" -> System.out.print(down(Path.of(args[1])));
                case "status" -> System.out.print(status(Path.of(args[1])));
                case "down-name" -> System.out.print(downByName(args[1]));
                case "exec" -> System.exit(exec(Path.of(args[1]), args[2], List.of(args).subList(3, args.length)));
                default -> {
                    System.err.println("unknown command " + args[0]);
                    System.exit(2);
                }
            }
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static String table(Lab lab) {
        StringBuilder sb = new StringBuilder(String.format("%-12s %-9s %-16s %-9s %-13s %s%n", "NODE", "KIND", "NAMESPACE", "DAEMON", "SESSIONS", "ADDRESSES"));
        for (LabNode n : lab.nodes()) {
            String daemon = n.daemonPid().isPresent() ? "pid " + n.daemonPid().getAsLong() : "stopped";
            List<SessionInfo> sessions = sessions(n);
            String summary = n.spec().neighbors().isEmpty() ? "-"
                    : sessions == null ? "unknown"
                    : sessions.stream().filter(SessionInfo::established).count() + "/" + n.spec().neighbors().size() + " up";
            sb.append(String.format("%-12s %-9s %-16s %-9s %-13s %s%n", n.name(), n.spec().kind(), n.namespace(), daemon,
                    summary, String.join(" ", n.spec().addresses())));
            for (SessionInfo s : sessions == null ? List.<SessionInfo>of() : sessions) {
                sb.append(String.format("  session %-24s %-11s %s%n", s.neighborAddress(), s.state(),
                        s.prefixesReceived() < 0 ? "" : s.prefixesReceived() + " prefixes received"));
            }
        }
        lab.ovs().ifPresent(ovs -> sb.append(String.format("%-12s %-9s %-16s %s%n", "sw", "ovs", lab.switchNamespace(),
                "ovs-vswitchd " + pid(ovs.vswitchdPid()) + ", ovsdb-server " + pid(ovs.ovsdbPid()) + ", db unix:" + ovs.dbSocket()
                        + " (ixora lab exec FILE sw ovs-vsctl show)")));
        return sb.toString();
    }

    private static String pid(java.util.OptionalLong pid) {
        return pid.isPresent() ? "pid " + pid.getAsLong() : "stopped";
    }

    /** The sessions the node's daemon reports; empty when it has none or is stopped, null when it does not answer. */
    private static List<SessionInfo> sessions(LabNode n) {
        if (n.spec().neighbors().isEmpty() || n.daemonPid().isEmpty()) return List.of();
        try {
            return n.daemon().sessions(n.spec(), n);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
