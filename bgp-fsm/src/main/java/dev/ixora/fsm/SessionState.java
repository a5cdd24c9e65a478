package dev.ixora.fsm;

/** The six states of the BGP finite state machine (RFC 4271 section 8.2.2). */
public enum SessionState {
    IDLE("Idle"),
    CONNECT("Connect"),
    ACTIVE("Active"),
    OPEN_SENT("OpenSent"),
    OPEN_CONFIRM("OpenConfirm"),
    ESTABLISHED("Established");

    private final String rfcName;

    SessionState(String rfcName) {
        this.rfcName = rfcName;
    }

    /** True in the states where a TCP connection carries BGP messages. */
    public boolean hasOpenConnection() {
        return this == OPEN_SENT || this == OPEN_CONFIRM || this == ESTABLISHED;
    }

    @Override
    public String toString() {
        return rfcName;
    }
}
