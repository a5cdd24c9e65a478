package dev.ixora.server;

import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.PeerConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The daemon's runtime state the API reads: config, per-peer status, the routing tables. */
final class DaemonState {
    final ConfigImage config;
    final Routing routing;
    final Clock clock;
    final Instant started;
    private final Map<String, PeerStatus> peers = new LinkedHashMap<>();

    DaemonState(ConfigImage config, Clock clock) {
        this(config, clock, new Routing(config));
    }

    DaemonState(ConfigImage config, Clock clock, Routing routing) {
        this.config = config;
        this.clock = clock;
        this.routing = routing;
        this.started = clock.instant();
        for (PeerConfig p : config.peers()) peers.put(p.name(), new PeerStatus(p, started));
    }

    /** The status of a configured peer, or null. The set of peers is fixed for the life of the state. */
    PeerStatus peer(String name) {
        return peers.get(name);
    }

    List<PeerStatus> peers() {
        return List.copyOf(peers.values());
    }

    Instant now() {
        return clock.instant();
    }
}
