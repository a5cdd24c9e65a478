package dev.ixora.fsm;

import dev.ixora.codec.NotificationMessage;

/**
 * Counters of one peer since it was added, for "show neighbors" and metrics. Message counts cover
 * every connection of the peer; {@code establishedSinceMillis} is wall-clock time of the current
 * Established session, or 0; {@code lastDownReason}/{@code lastNotification} may be null.
 */
public record SessionStats(
        long messagesReceived,
        long messagesSent,
        long updatesReceived,
        long updatesSent,
        long establishedTransitions,
        long establishedSinceMillis,
        Reason lastDownReason,
        NotificationMessage lastNotification) {}
