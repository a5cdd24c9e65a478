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
    SHUTDOWN
}
