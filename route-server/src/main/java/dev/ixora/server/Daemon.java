package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.PeerConfig;
import dev.ixora.fsm.BgpSession;
import dev.ixora.fsm.BgpSpeaker;
import dev.ixora.fsm.PeerSettings;
import dev.ixora.fsm.SessionEvent;
import dev.ixora.fsm.SessionListener;
import dev.ixora.fsm.SpeakerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code ixora run}: a BGP speaker with the configured peers, whose
 * session events feed the {@link Routing} (rib, decision process, route-server export to every
 * client, the configured {@code announce:} routes as local routes), and the HTTP API.
 */
final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonState state;
    private BgpSpeaker speaker;
    private ApiServer api;
    private boolean stopped;

    Daemon(ConfigImage config, Clock clock) {
        this.state = new DaemonState(config, clock);
    }

    /** With a given routing (tests: export policies beyond the config's accept|reject). */
    Daemon(ConfigImage config, Clock clock, Routing routing) {
        this.state = new DaemonState(config, clock, routing);
    }

    /** Binds the BGP listen addresses and the API, then starts the peers. */
    synchronized void start() throws IOException, InterruptedException {
        ConfigImage c = state.config;
        LOG.info("ixora {} starting: {}", Ixora.version(), CheckCommand.summary(c));
        long routerId = Integer.toUnsignedLong(ByteBuffer.wrap(c.router().routerId().getAddress()).getInt());
        List<InetSocketAddress> listen = listenAddresses(c.router().listen());
        speaker = new BgpSpeaker(new SpeakerSettings(c.router().asn(), routerId, listen), new SessionListener() {
            @Override
            public void onEvent(SessionEvent event) {
                Daemon.this.onEvent(event);
            }

            @Override
            public void readComplete(String peer) {
                state.routing.readComplete(peer); // the UPDATEs of one read go to the RIB as one batch
            }
        });
        for (PeerConfig p : c.peers()) {
            if (p.shutdown()) {
                LOG.info("peer={} as={} is shut down in the config, not starting it", p.name(), p.asn());
                continue;
            }
            BgpSession session = speaker.addPeer(settings(p));
            // state-based export: a channel that drains again resumes its client's export
            session.onWritabilityChanged(() -> state.routing.writable(p.name()));
        }
        try {
            speaker.start();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty rethrows the bind error (an IOException) undeclared
            throw new IOException("cannot listen for BGP on " + listen.stream().map(Addresses::format).toList()
                    + ": " + e.getMessage(), e);
        }
        if (c.api().isPresent()) {
            InetSocketAddress where = c.api().get().listen();
            try {
                api = new ApiServer(where, state, name -> {
                    BgpSession s = speaker.session(name);
                    return s == null ? null : s.stats();
                });
            } catch (IOException e) {
                throw new IOException("cannot listen for the API on " + Addresses.format(where) + ": " + e.getMessage(), e);
            }
            api.start();
        }
    }

    /**
     * On Linux a dual-stack [::]:port socket already takes IPv4 connections, and binding
     * 0.0.0.0:port beside it fails: the default ["0.0.0.0:179", "[::]:179"] binds only [::]:179.
     */
    static List<InetSocketAddress> listenAddresses(List<InetSocketAddress> configured) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : configured) {
            boolean v4Any = a.getAddress().isAnyLocalAddress() && a.getAddress().getAddress().length == 4;
            boolean coveredByV6Any = configured.stream().anyMatch(b -> b.getPort() == a.getPort()
                    && b.getAddress().isAnyLocalAddress() && b.getAddress().getAddress().length == 16);
            if (!(v4Any && coveredByV6Any)) out.add(a);
        }
        return out;
    }

    static PeerSettings settings(PeerConfig p) {
        Set<AfiSafi> families = Set.copyOf(p.families());
        return PeerSettings.builder(p.name(), p.address(), p.asn())
                .remotePort(p.port())
                .localAddress(p.localAddress().orElse(null))
                .passive(p.passive())
                .families(families)
                .holdTime(p.holdTime())
                .connectRetrySeconds(p.connectRetry())
                // RFC 7911: offer ADD-PATH in every configured family, in the configured directions.
                .addPathReceive(p.addPath().receive() ? families : Set.of())
                .addPathSend(p.addPath().send() ? families : Set.of())
                // RFC 4724 section 3: Graceful Restart capability with no families and restart time
                // 0 says "I keep your routes while you restart" (helper mode) without claiming
                // that we preserve forwarding ourselves.
                .gracefulRestartTime(0)
                .build();
    }

    /** Idempotent: Cease / Administrative Shutdown to every session (via the speaker), then the API. */
    synchronized void stop(String reason) {
        if (stopped) return;
        stopped = true;
        LOG.info("stopping: {}", reason);
        if (speaker != null) speaker.shutdown(reason);
        if (api != null) api.close();
        state.routing.close();
        LOG.info("stopped");
    }

    DaemonState state() {
        return state;
    }

    /** The BGP listen addresses actually bound. */
    List<InetSocketAddress> bgpAddresses() {
        return speaker.boundAddresses();
    }

    /** The API address actually bound, or null without an api section. */
    InetSocketAddress apiAddress() {
        return api == null ? null : api.address();
    }

    /**
     * The peer and session of the last UPDATE (an UPDATE's peer is most often the previous one's).
     * Event loops of different peers race on it, which only costs a lookup: it is used only when
     * its name is the very String the event carries, and its fields are final.
     */
    private record Recent(String name, PeerStatus peer, BgpSession session) {}

    private Recent recent;

    /** On the peer's event loop: only table updates and non-blocking writes here. */
    private void onEvent(SessionEvent event) {
        if (event instanceof SessionEvent.UpdateReceived u) { // the bulk: without the lookups by name
            Recent r = recent;
            if (r == null || r.name() != u.peer()) {
                PeerStatus peer = state.peer(u.peer());
                if (peer == null) return;
                recent = r = new Recent(u.peer(), peer, speaker.session(peer.config.name()));
            }
            received(r.peer(), u.update(), r.session());
            return;
        }
        PeerStatus peer = state.peer(event.peer());
        if (peer == null) return;
        String name = peer.config.name();
        long asn = peer.config.asn();
        if (event instanceof SessionEvent.StateChanged s) {
            peer.state(s.to(), state.now());
        } else if (event instanceof SessionEvent.Established e) {
            BgpSession session = speaker.session(name);
            InetSocketAddress local = session == null ? null : session.localAddress();
            peer.established(e.session(), local, state.now());
            if (session != null && local != null) state.routing.established(peer.config, e.session(), session);
        } else if (event instanceof SessionEvent.RouteRefreshReceived r) {
            // RFC 2918 section 4: a ROUTE-REFRESH (subtype 0) asks for the family again. The
            // export is state-based: restarting the client's export sends its whole table (all
            // families) and End-of-RIB. Subtypes 1 and 2 are the peer's own BoRR/EoRR (RFC 7313).
            BgpSession session = speaker.session(name);
            if (r.subtype() == 0 && session != null && session.localAddress() != null
                    && peer.session() != null && peer.session().families().contains(r.afiSafi())) {
                state.routing.established(peer.config, peer.session(), session);
            }
        } else if (event instanceof SessionEvent.Down d) {
            // RFC 4271 section 8.2.2: leaving Established deletes all routes learned over the
            // session, unless the peer is restarting gracefully (Routing.down, RFC 4724 section 4.2).
            state.routing.down(peer.config, peer.session(), d);
            String why = d.reason() + (d.notification() == null ? "" : " notification=" + d.notification().describe());
            peer.down(why, state.now());
            LOG.info("peer={} as={} down reason={}", name, asn, why);
        }
    }

    private void received(PeerStatus peer, UpdateMessage update, BgpSession session) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("peer={} as={} update announced={} withdrawn={} attributes={}", peer.config.name(), peer.config.asn(),
                    update.announced().size(), update.withdrawnAll().size(), update.pathAttributes());
        }
        state.routing.received(peer.config, update, session);
    }
}
