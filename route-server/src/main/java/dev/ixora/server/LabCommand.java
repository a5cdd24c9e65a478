package dev.ixora.server;

import dev.ixora.conf.ConfigException;
import dev.ixora.lab.LabCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ixora lab up|down|status|exec}: the container lab (docs/lab.md) from the command line.
 * FILE is a topology file; the word {@code demo} (when no such file exists) names the built-in
 * topology of {@code ixora demo}.
 */
@Command(name = "lab", description = "Run a lab of routing daemons in network namespaces (docs/lab.md).",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Exec.class})
final class LabCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a lab command (up, down, status, exec)");
    }

    /** The topology file: file itself, or the built-in demo topology when file is "demo" and no such file exists. */
    static Path topology(String file) throws IOException {
        Path p = Path.of(file);
        if (Files.exists(p) || !file.equals(DemoCommand.LAB)) return p;
        return builtInDemo();
    }

    /** The demo topology, written to the lab run root so that later `lab exec demo ...` find the same file. */
    static Path builtInDemo() throws IOException {
        Path root = LabCommands.runRoot();
        Files.createDirectories(root);
        Path out = root.resolve(DemoCommand.LAB + ".yaml");
        Files.writeString(out, demoYaml(), StandardCharsets.UTF_8);
        return out;
    }

    static String demoYaml() throws IOException {
        try (InputStream in = LabCommand.class.getResourceAsStream("demo.yaml")) {
            if (in == null) throw new IOException("the demo topology is missing from the jar (dev/ixora/server/demo.yaml)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs one lab action, printing its output; IO and topology errors become messages and exit codes. */
    abstract static class Action implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the topology file (or `demo`, the demo's topology)")
        String file;

        abstract int act(Path topology, PrintWriter out) throws IOException, ConfigException, InterruptedException;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return act(topology(file), spec.commandLine().getOut());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return Ixora.EXIT_USAGE;
            } catch (IOException | IllegalArgumentException e) {
                err.println("ixora lab " + spec.name() + ": " + e.getMessage());
                return Ixora.EXIT_FAILURE;
            }
        }
    }

    @Command(name = "up", description = "Build the lab and start its daemons; it keeps running after this command.")
    static final class Up extends Action {
        @Override
        int act(Path topology, PrintWriter out) throws IOException, ConfigException {
            out.print(LabCommands.up(topology));
            out.flush();
            return Ixora.EXIT_OK;
        }
    }

    @Command(name = "down", description = "Stop the daemons and remove the lab's namespaces and cgroups (also after a crash).")
    static final class Down extends Action {
        @Override
        int act(Path topology, PrintWriter out) throws IOException, ConfigException {
            out.print(LabCommands.down(topology));
            out.flush();
            return Ixora.EXIT_OK;
        }
    }

    @Command(name = "status", description = "Nodes, daemon pids, addresses, and each BGP session's state as the node's daemon reports it.")
    static final class Status extends Action {
        @Override
        int act(Path topology, PrintWriter out) throws IOException, ConfigException {
            out.print(LabCommands.status(topology));
            out.flush();
            return Ixora.EXIT_OK;
        }
    }

    @Command(name = "exec", description = {"Run a command inside a node, e.g. `ixora lab exec FILE bird1 -- birdc show route`.",
            "NODE `sw` is the lab's switch namespace (its bridges; with an OVS LAN its own ovsdb/ovs-vswitchd),"
                    + " e.g. `ixora lab exec FILE sw -- ovs-ofctl dump-flows BRIDGE`."})
    static final class Exec extends Action {
        @Parameters(index = "1", paramLabel = "NODE", description = "the node, or `sw` for the lab's switch namespace")
        String node;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "CMD", description = "the command and its arguments (after --)")
        List<String> command;

        @Override
        int act(Path topology, PrintWriter out) throws IOException, ConfigException, InterruptedException {
            out.flush();
            return LabCommands.exec(topology, node, command);
        }
    }
}
