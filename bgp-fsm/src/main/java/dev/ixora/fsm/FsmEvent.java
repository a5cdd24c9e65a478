package dev.ixora.fsm;

import dev.ixora.codec.BgpError;
import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;

/**
 * The input events of the FSM (RFC 4271 section 8.1). Timer expiries (events 9-13) are one record
 * carrying the timer. Event 21 "BGPOpen with DelayOpenTimer running" is {@link BgpOpen}: the FSM
 * knows whether its DelayOpenTimer runs.
 */
public sealed interface FsmEvent {
    /** Event 1. */
    record ManualStart() implements FsmEvent {}

    /** Event 4: start, but only wait for the peer to connect. */
    record ManualStartPassive() implements FsmEvent {}

    /**
     * Event 2. {@code ceaseSubcode} is the Cease subcode sent in OpenSent and later (RFC 4486: 2
     * Administrative Shutdown, 3 Peer De-configured); {@code message} the RFC 9003 shutdown
     * communication, may be empty; {@code reason} what the transition is logged as.
     */
    record ManualStop(int ceaseSubcode, String message, Reason reason) implements FsmEvent {
        public ManualStop {
            if (message == null) message = "";
            if (reason == null) reason = Reason.MANUAL_STOP;
        }

        /** Administrative Shutdown with the given communication. */
        public ManualStop(String message) {
            this(NotificationMessage.CEASE_ADMIN_SHUTDOWN, message, Reason.MANUAL_STOP);
        }
    }

    /** Event 3 (or 5 when the peer is configured passive). */
    record AutomaticStart() implements FsmEvent {}

    /** Events 9 ConnectRetryTimer, 10 HoldTimer, 11 KeepaliveTimer, 12 DelayOpenTimer, 13 IdleHoldTimer. */
    record TimerExpired(FsmTimer timer) implements FsmEvent {}

    /** Event 16 Tcp_CR_Acked: our outgoing connection was established. */
    record TcpCrAcked() implements FsmEvent {}

    /** Event 17 TcpConnectionConfirmed: we accepted the peer's connection. */
    record TcpConnectionConfirmed() implements FsmEvent {}

    /** Event 18. */
    record TcpConnectionFails() implements FsmEvent {}

    /** Events 19 and 20. */
    record BgpOpen(OpenMessage open) implements FsmEvent {}

    /** Event 21. */
    record BgpHeaderErr(BgpError error) implements FsmEvent {}

    /** Event 22. */
    record BgpOpenMsgErr(BgpError error) implements FsmEvent {}

    /** Event 23: this connection lost collision detection (RFC 4271 section 6.8). */
    record OpenCollisionDump() implements FsmEvent {}

    /** Event 24: the peer does not speak our version. */
    record NotifMsgVerErr(NotificationMessage notification) implements FsmEvent {}

    /** Event 25. */
    record NotifMsg(NotificationMessage notification) implements FsmEvent {}

    /** Event 26. */
    record KeepAliveMsg() implements FsmEvent {}

    /** Event 27; the message is an UPDATE, handed on untouched. */
    record UpdateMsg(BgpMessage update) implements FsmEvent {}

    /** Event 28. */
    record UpdateMsgErr(BgpError error) implements FsmEvent {}

    /**
     * Not an RFC 4271 event: RFC 4724 section 4.2, the peer (whose Graceful Restart capability
     * this Established session negotiated) opened a new connection, so it has restarted. The
     * session ends without a NOTIFICATION; the new connection runs on a fresh FSM.
     */
    record PeerRestarted() implements FsmEvent {}

    /**
     * Not an RFC 4271 event: we sent an UPDATE. RFC 4271 section 8.2.2 (Established): "Each time
     * the local system sends a KEEPALIVE or UPDATE message, it restarts its KeepaliveTimer".
     */
    record UpdateSent() implements FsmEvent {}

    /** ROUTE-REFRESH (RFC 2918) is not an RFC 4271 event; in Established it restarts the hold timer. */
    record RouteRefreshMsg(BgpMessage routeRefresh) implements FsmEvent {}

    /** Event 24 or 25, whichever the NOTIFICATION is (RFC 4271 section 8.1.5). */
    static FsmEvent notification(NotificationMessage n) {
        // Unsupported Version Number (OPEN Message Error subcode 1) is event 24.
        if (n.code() == BgpError.OPEN_MESSAGE_ERROR && n.subcode() == 1) return new NotifMsgVerErr(n);
        return new NotifMsg(n);
    }
}
