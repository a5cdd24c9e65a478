package dev.ixora.server;

import dev.ixora.conf.ConfigException;
import dev.ixora.lab.Lab;
import dev.ixora.lab.LabCommands;
import dev.ixora.lab.LabNode;
import dev.ixora.lab.Topology;
import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ixora demo}: a small IXP in the container lab (the built-in topology demo.yaml): Ixora as
 * route server, members on BIRD, FRR, GoBGP and OpenBGPD. Waits for the sessions and the routes,
 * prints what each member sees, then stays up until SIGINT/SIGTERM and tears the lab down.
 */
@Command(name = "demo", description = "Bring up a small IXP (Ixora as route server, members on BIRD, FRR, GoBGP, "
        + "OpenBGPD) in network namespaces, show what each member sees, tear it down on Ctrl-C.")
final class DemoCommand implements Callable<Integer> {
    static final String LAB = "demo";
    private static final Duration SESSIONS_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ROUTES_TIMEOUT = Duration.ofSeconds(60);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-wait", description = "tear the lab down right after printing (for tests and scripts)")
    boolean noWait;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Topology topology;
        Path file;
        try {
            file = LabCommand.builtInDemo();
            topology = Topology.load(file);
        } catch (IOException | ConfigException e) {
            err.println("ixora demo: the built-in topology: " + e.getMessage());
            return Ixora.EXIT_FAILURE;
        }
        Path root = LabCommands.runRoot();
        CountDownLatch stop = new CountDownLatch(1);
        Runnable restoreSignals = Signals.onTermination(stop::countDown);
        Lab lab;
        try {
            List<String> stale = Lab.downByName(LAB, root);
            if (!stale.isEmpty()) out.println("removed what an earlier demo left: " + String.join(", ", stale));
            out.println("starting the demo lab: " + topology.nodes().size() + " nodes in network namespaces under " + root.resolve(LAB));
            out.flush();
            lab = Lab.up(topology, root);
        } catch (IOException e) {
            restoreSignals.run();
            err.println("ixora demo: " + e.getMessage());
            return Ixora.EXIT_FAILURE;
        }
        AtomicBoolean down = new AtomicBoolean();
        Runnable tearDown = () -> {
            if (!down.compareAndSet(false, true)) return;
            try {
                lab.down();
                out.println("demo lab removed (logs stay in " + lab.dir() + ")");
            } catch (IOException e) {
                err.println("ixora demo: tearing down: " + e.getMessage() + " (try `ixora lab down demo`)");
            }
            out.flush();
        };
        Thread hook = new Thread(tearDown, "ixora-demo-down");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = Ixora.EXIT_OK;
        try {
            out.println("waiting for the BGP sessions ...");
            out.flush();
            lab.awaitEstablished(SESSIONS_TIMEOUT);
            awaitRoutes(lab);
            out.print(report(lab, file));
            out.flush();
            if (!noWait) {
                out.println("the lab is up; press Ctrl-C to tear it down");
                out.flush();
                stop.await();
            }
        } catch (IOException e) {
            err.println("ixora demo: " + e.getMessage());
            exit = Ixora.EXIT_FAILURE;
        } finally {
            tearDown.run();
            restoreSignals.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already running it
            }
        }
        return exit;
    }

    /** Each member sees every other member's routes: (members - 1) times what one announces. */
    private static void awaitRoutes(Lab lab) throws IOException {
        List<LabNode> members = members(lab);
        for (LabNode m : members) {
            long expected = members.stream().filter(o -> o != m).mapToLong(o -> o.spec().announce().size()).sum();
            lab.awaitRoutes(m.name(), r -> r.size() >= expected, ROUTES_TIMEOUT);
        }
    }

    private static List<LabNode> members(Lab lab) {
        return lab.nodes().stream().filter(n -> !n.spec().kind().equals("ixora") && !n.spec().kind().equals("host")).toList();
    }

    /** The sessions of every node, the routes each member sees, and where to look next. */
    static String report(Lab lab, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("\nSESSIONS (as each daemon reports them)\n");
        sb.append(String.format("  %-10s %-9s %-18s %-12s %s%n", "NODE", "KIND", "NEIGHBOR", "STATE", "PREFIXES"));
        for (LabNode n : lab.nodes()) {
            for (SessionInfo s : lab.sessions(n.name())) {
                sb.append(String.format("  %-10s %-9s %-18s %-12s %s%n", n.name(), n.spec().kind(), s.neighborAddress(), s.state(),
                        s.prefixesReceived() < 0 ? "?" : Long.toString(s.prefixesReceived())));
            }
        }
        sb.append("\nROUTES (as each member sees them, learned through the route server)\n");
        sb.append(String.format("  %-10s %-20s %-16s %-13s %s%n", "MEMBER", "PREFIX", "NEXT HOP", "AS PATH", "MED / COMMUNITIES"));
        for (LabNode m : members(lab)) {
            for (RouteInfo r : lab.routes(m.name())) {
                String path = r.asPath().stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("");
                String extra = (r.med() == null ? "" : "med " + r.med() + " ") + String.join(" ", r.communities())
                        + (r.largeCommunities().isEmpty() ? "" : " " + String.join(" ", r.largeCommunities()));
                sb.append(String.format("  %-10s %-20s %-16s %-13s %s%n", m.name(), r.prefix(), r.nextHop(), path, extra.strip()));
            }
        }
        // Commands run in the node's mount namespace, whose working directory is "/": absolute paths only.
        sb.append("\nWHERE TO LOOK (each daemon's own CLI, through its socket in the lab's run directory)\n");
        for (LabNode n : lab.nodes()) {
            String cli = cli(n);
            if (cli != null) sb.append("  bin/ixora lab exec demo ").append(n.name()).append(" -- ").append(cli).append('\n');
        }
        for (LabNode n : lab.nodes()) {
            if (!n.spec().kind().equals("ixora")) continue;
            sb.append("  bin/ixora lab exec demo ").append(n.name()).append(" -- curl -sS --fail 127.0.0.1:8080/metrics")
                    .append("      (Prometheus metrics: scrape the route server's API address; docs/operations.md, Metrics)\n");
        }
        sb.append("  bin/ixora lab status demo\n")
                .append("  logs: ").append(lab.dir()).append("/<node>/log/daemon.log\n")
                .append("  topology: ").append(file).append('\n');
        return sb.toString();
    }

    /** A command that shows the routes of node n as its daemon sees them, or null. */
    static String cli(LabNode n) {
        Path w = n.workDir();
        return switch (n.spec().kind()) {
            case "ixora" -> "java -jar " + jar() + " show routes      (the route server's API, 127.0.0.1:8080 in node "
                    + n.name() + "; also: show peers, or curl -s 127.0.0.1:8080/api/v1/routes)";
            case "bird" -> "birdc -s " + w.resolve("bird.ctl") + " show route all";
            case "frr" -> "vtysh --vty_socket " + w.resolve("frr") + " -c 'show bgp ipv4 unicast'";
            case "gobgp" -> "gobgp --target unix://" + w.resolve("gobgp/gobgp.sock") + " global rib -a ipv6";
            case "openbgpd" -> "bgpctl -s " + w.resolve("openbgpd/bgpd.sock") + " show rib";
            case "exabgp" -> "cat " + w.resolve("exabgp/received.jsonl");
            default -> null;
        };
    }

    /** The jar this command runs from (the ixora nodes run the same one). */
    private static String jar() {
        try {
            var source = DemoCommand.class.getProtectionDomain().getCodeSource();
            if (source != null) return Path.of(source.getLocation().toURI()).toAbsolutePath().toString();
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException ignored) {
            // fall through
        }
        return "route-server/target/ixora.jar";
    }
}
