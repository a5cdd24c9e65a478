package dev.ixora.server;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT handlers. The JDK's shutdown hooks alone would make the process exit with
 * 128+signal; handling the signals lets {@code ixora run} stop cleanly and exit 0.
 */
final class Signals {
    private Signals() {}

    /** Installs {@code action} for SIGTERM and SIGINT; the returned Runnable puts the old handlers back. */
    @SuppressWarnings("restriction")
    static Runnable onTermination(Runnable action) {
        Logger log = LoggerFactory.getLogger(Signals.class);
        List<Runnable> restore = new ArrayList<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, sig -> {
                    log.info("received SIG{}, shutting down", name);
                    action.run();
                });
                restore.add(() -> sun.misc.Signal.handle(signal, old));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM may reserve a signal (e.g. -Xrs); the shutdown hook still stops the daemon.
                log.warn("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
