package dev.ixora.fsm;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.UpdateMessage;

/**
 * What a session tells the layers above. Events of one peer arrive in order, on that peer's event
 * loop; a {@link SessionListener} must hand them off rather than block.
 */
public sealed interface SessionEvent {
    /** The configured peer name. */
    String peer();

    record StateChanged(String peer, SessionState from, SessionState to, Reason reason) implements SessionEvent {}

    record Established(String peer, NegotiatedSession session) implements SessionEvent {}

    /** An UPDATE, possibly already turned into withdrawals by RFC 7606 treat-as-withdraw. */
    record UpdateReceived(String peer, UpdateMessage update) implements SessionEvent {}

    /** ROUTE-REFRESH (RFC 2918), or with subtype 1/2 the enhanced route refresh markers (RFC 7313). */
    record RouteRefreshReceived(String peer, AfiSafi afiSafi, int subtype) implements SessionEvent {}

    /** The session left Established; {@code notification} was sent or received, or null. */
    record Down(String peer, Reason reason, NotificationMessage notification) implements SessionEvent {}
}
