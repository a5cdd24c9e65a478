package dev.ixora.server;

import dev.ixora.conf.PeerConfig;
import dev.ixora.fsm.NegotiatedSession;
import dev.ixora.fsm.SessionState;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What the API shows about one peer: its config and the last session events. Written by the
 * session event threads, read by the API; each field is one volatile snapshot.
 */
final class PeerStatus {
    final PeerConfig config;
    private volatile SessionState state = SessionState.IDLE;
    private volatile Instant stateSince;
    private volatile Instant establishedAt;
    private volatile NegotiatedSession session;
    private volatile InetSocketAddress localAddress;
    private volatile String lastDownReason = "";

    PeerStatus(PeerConfig config, Instant now) {
        this.config = config;
        this.stateSince = now;
    }

    void state(SessionState state, Instant now) {
        if (this.state != state) stateSince = now;
        this.state = state;
    }

    void established(NegotiatedSession session, InetSocketAddress local, Instant now) {
        this.session = session;
        this.localAddress = local;
        this.establishedAt = now;
        state(SessionState.ESTABLISHED, now);
    }

    void down(String reason, Instant now) {
        this.session = null;
        this.establishedAt = null;
        this.lastDownReason = reason;
        if (state == SessionState.ESTABLISHED) state(SessionState.IDLE, now);
    }

    SessionState state() {
        return state;
    }

    Instant stateSince() {
        return stateSince;
    }

    /** When the session became Established; null when it is not. */
    Instant establishedAt() {
        return establishedAt;
    }

    /** The negotiated session while Established, else null. */
    NegotiatedSession session() {
        return session;
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    String lastDownReason() {
        return lastDownReason;
    }
}
