package dev.ixora.fsm;

import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;

/** What the FSM asks its driver to do, in order. The FSM itself never touches a socket or a clock. */
public sealed interface FsmAction {
    /** Initiate a TCP connection to the peer. */
    record Connect() implements FsmAction {}

    /** Close the TCP connection (after flushing what was written before). */
    record DropConnection() implements FsmAction {}

    record SendOpen(OpenMessage open) implements FsmAction {}

    record SendKeepalive() implements FsmAction {}

    record SendNotification(NotificationMessage notification) implements FsmAction {}

    /** Start, or restart, a timer. */
    record StartTimer(FsmTimer timer, int seconds) implements FsmAction {}

    record StopTimer(FsmTimer timer) implements FsmAction {}

    /** A message for the layer above: an UPDATE or a ROUTE-REFRESH received in Established. */
    record Deliver(BgpMessage message) implements FsmAction {}

    record StateChanged(SessionState from, SessionState to, Reason reason) implements FsmAction {}

    record SessionUp(NegotiatedSession session) implements FsmAction {}

    /** Left Established; {@code notification} was sent or received, null when there was none. */
    record SessionDown(Reason reason, NotificationMessage notification) implements FsmAction {}
}
