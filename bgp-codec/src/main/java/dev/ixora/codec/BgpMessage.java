package dev.ixora.codec;

/**
 * A decoded BGP message (RFC 4271 section 4). Implementations are immutable value types:
 * {@link OpenMessage}, {@code UpdateMessage}, {@code NotificationMessage}, {@code KeepaliveMessage},
 * {@code RouteRefreshMessage}.
 */
public interface BgpMessage {
    // RFC 4271 section 4.1 message type codes (+ RFC 2918 ROUTE-REFRESH)
    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    int ROUTE_REFRESH = 5;

    /** The message type code of the header. */
    int type();
}
