package dev.ixora.server;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ixora} command line: run, check, show, version, lab, demo. */
@Command(name = "ixora", mixinStandardHelpOptions = true, versionProvider = Ixora.Version.class,
        description = "BGP-4 speaker and IXP route server.",
        subcommands = {RunCommand.class, CheckCommand.class, ShowCommand.class, VersionCommand.class,
                LabCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Ixora implements Runnable {
    /** Exit codes: 0 fine, 1 failure (check found errors, API unreachable), 2 usage or config error at run. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs one command line with the given streams; returns the exit code (for tests and main). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Ixora());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Override
    public void run() {
        // No subcommand: say how to use it, as a usage error.
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command (run, check, show, version, lab, demo)");
    }

    static String version() {
        String v = Ixora.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ixora " + version()};
        }
    }
}
