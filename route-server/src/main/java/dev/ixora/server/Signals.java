package dev.ixora.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT handlers. The JDK's shutdown hooks alone would make the process exit with
 * 128+signal; handling the signals lets {@code ixora run} stop cleanly and exit 0.
 */
final class Signals {
    private Signals() {}

    @SuppressWarnings("restriction")
    static void onTermination(Runnable action) {
        Logger log = LoggerFactory.getLogger(Signals.class);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    log.info("received SIG{}, shutting down", name);
                    action.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM may reserve a signal (e.g. -Xrs); the shutdown hook still stops the daemon.
                log.warn("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
