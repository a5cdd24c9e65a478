package dev.ixora.codec;

/**
 * ROUTE-REFRESH (RFC 2918 section 3): AFI (2), subtype (1), SAFI (1). The byte between AFI and SAFI
 * was "reserved" in RFC 2918; RFC 7313 section 3 makes it the message subtype. Unknown subtypes
 * decode as values: RFC 7313 section 5 says the receiver ignores them, which is the session's call.
 */
public record RouteRefreshMessage(AfiSafi afiSafi, int subtype) implements BgpMessage {
    // RFC 7313 section 3
    public static final int NORMAL = 0;
    public static final int BEGIN_OF_RIB = 1;
    public static final int END_OF_RIB = 2;

    /** The body is always 4 bytes (RFC 7313 section 5), the whole message 23. */
    public static final int BODY_LENGTH = 4;

    public RouteRefreshMessage {
        if (afiSafi == null) throw new IllegalArgumentException("afiSafi is required");
        if (subtype < 0 || subtype > 0xFF) throw new IllegalArgumentException("subtype out of range: " + subtype);
    }

    /** A plain RFC 2918 request for the family. */
    public static RouteRefreshMessage request(AfiSafi afiSafi) {
        return new RouteRefreshMessage(afiSafi, NORMAL);
    }

    @Override
    public int type() {
        return ROUTE_REFRESH;
    }

    /** RFC 7313 section 5: subtypes other than 0, 1, 2 must be ignored by the receiver. */
    public boolean knownSubtype() {
        return subtype <= END_OF_RIB;
    }
}
