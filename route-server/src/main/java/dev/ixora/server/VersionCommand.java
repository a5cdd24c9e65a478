package dev.ixora.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version and the Java runtime.")
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println("ixora " + Ixora.version() + " (Java " + Runtime.version() + ")");
    }
}
