package dev.ixora.fsm;

/** The FSM's timers (RFC 4271 section 8.1.3 and 8.1.1 optional attributes). */
public enum FsmTimer {
    CONNECT_RETRY,
    HOLD,
    KEEPALIVE,
    DELAY_OPEN,
    /** RFC 4271 section 8.1.1 IdleHoldTimer: our damping of automatic restarts after errors. */
    IDLE_HOLD
}
