package dev.ixora.fsm;

/** Why the session changed state; logged with every transition and carried in session events. */
public enum Reason {
    MANUAL_START,
    MANUAL_STOP,
    AUTOMATIC_START,
    IDLE_HOLD_EXPIRED,
    CONNECT_RETRY_EXPIRED,
    TCP_CONNECTED,
    TCP_FAILED,
    DELAY_OPEN_EXPIRED,
    OPEN_RECEIVED,
    KEEPALIVE_RECEIVED,
    HOLD_TIMER_EXPIRED,
    NOTIFICATION_RECEIVED,
    HEADER_ERROR,
    OPEN_ERROR,
    UPDATE_ERROR,
    FSM_ERROR,
    COLLISION,
    PEER_REMOVED,
    SHUTDOWN,
    /**
     * RFC 4724 section 4.2: a peer whose Graceful Restart capability was in the Established session
     * opened a new connection, so it restarted. The old session closes without a NOTIFICATION;
     * the layers above keep its routes, stale, until it is back and sends End-of-RIB.
     */
    PEER_RESTARTED;

    /** The reason in words, for logs and "show neighbors". */
    public String describe() {
        return this == PEER_RESTARTED ? "peer restarted (graceful restart)"
                : name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
