package dev.ixora.server;

import dev.ixora.conf.ConfigError;
import dev.ixora.conf.ConfigException;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Run the daemon in the foreground until SIGTERM or SIGINT; logs go to stdout.")
final class RunCommand implements Callable<Integer> {
    static final String SHUTDOWN_REASON = "ixora shutting down";
    /** The warm-up gives up after this long (it takes well under a second on a 2-core machine). */
    static final long WARM_UP_LIMIT_MILLIS = 10_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Option(names = "--no-warm-up",
            description = "start the sessions without the start-up warm-up (also: IXORA_WARMUP=0); see docs/operations.md")
    boolean noWarmUp;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "trace, debug, info, warn or error (default: $IXORA_LOG_LEVEL, else info)")
    String logLevel;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String level;
        try {
            level = Logging.level(logLevel, System.getenv("IXORA_LOG_LEVEL"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ConfigImage image;
        try {
            image = ConfigLoader.load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) err.println(error);
            err.println(config + ": " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors")
                    + ", not starting");
            return Ixora.EXIT_USAGE;
        }
        Logging.configure(level);
        // the JIT compiles the hot paths on a synthetic table before the members' real ones arrive
        if (!noWarmUp && WarmUp.enabled(System.getenv("IXORA_WARMUP"))) WarmUp.run(WarmUp.DEFAULT_ROUTES, WARM_UP_LIMIT_MILLIS);
        Daemon daemon = new Daemon(image, Clock.systemUTC());
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM/SIGINT end the wait below, so the daemon says goodbye to its peers (Cease,
        // RFC 4486 subcode 2 "Administrative Shutdown") and exits 0. The hook covers other exits.
        // Both are in place before start(), so a signal during start-up still stops cleanly.
        Runnable restoreSignals = Signals.onTermination(stop::countDown);
        Thread hook = new Thread(() -> daemon.stop(SHUTDOWN_REASON), "ixora-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.start();
        } catch (Exception e) {
            err.println("ixora run: cannot start: " + e.getMessage());
            daemon.stop("startup failed");
            restoreSignals.run();
            Runtime.getRuntime().removeShutdownHook(hook);
            return Ixora.EXIT_FAILURE;
        }
        stop.await();
        daemon.stop(SHUTDOWN_REASON);
        return Ixora.EXIT_OK;
    }
}
