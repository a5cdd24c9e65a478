package dev.ixora.server;

import dev.ixora.conf.ConfigImage;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of {@code ixora run}. Interim: the BGP speaker is wired when bgp-fsm lands. */
final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonState state;
    private ApiServer api;
    private boolean stopped;

    Daemon(ConfigImage config, Clock clock) {
        this.state = new DaemonState(config, clock);
    }

    synchronized void start() throws IOException {
        LOG.info("ixora {} starting: {}", Ixora.version(), CheckCommand.summary(state.config));
        if (state.config.api().isPresent()) {
            api = new ApiServer(state.config.api().get().listen(), state);
            api.start();
        }
    }

    synchronized void stop(String reason) {
        if (stopped) return;
        stopped = true;
        if (api != null) api.close();
        LOG.info("stopped: {}", reason);
    }

    DaemonState state() {
        return state;
    }
}
