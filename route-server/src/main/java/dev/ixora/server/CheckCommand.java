package dev.ixora.server;

import dev.ixora.conf.Addresses;
import dev.ixora.conf.ConfigError;
import dev.ixora.conf.ConfigException;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.conf.ConfigPrinter;
import dev.ixora.conf.PeerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Validate a config file: print every error (exit 1) or a summary (exit 0).")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Option(names = "--dump", description = "also print the normalised config, every default applied")
    boolean dump;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigImage image;
        try {
            image = ConfigLoader.load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) err.println(error);
            err.println(config + ": " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
            return Ixora.EXIT_FAILURE;
        }
        out.println(config + ": OK: " + summary(image));
        if (dump) out.print(ConfigPrinter.print(image));
        out.flush();
        return Ixora.EXIT_OK;
    }

    static String summary(ConfigImage c) {
        long down = c.peers().stream().filter(PeerConfig::shutdown).count();
        return "AS" + c.router().asn() + " router-id " + Addresses.format(c.router().routerId())
                + (c.routeServer() ? ", route server" : "")
                + ", " + c.peers().size() + (c.peers().size() == 1 ? " peer" : " peers")
                + (down > 0 ? " (" + down + " shut down)" : "")
                + ", " + c.announce().size() + " announced " + (c.announce().size() == 1 ? "prefix" : "prefixes")
                + ", api " + c.api().map(a -> Addresses.format(a.listen())).orElse("off");
    }
}
