package dev.ixora.codec;

/**
 * What the protocol does about a malformed message (RFC 7606 section 2), strongest first. The codec
 * decides the action; only the session (bgp-fsm) turns SESSION_RESET into a NOTIFICATION.
 */
public enum ErrorAction {
    /** Send a NOTIFICATION and close the session (RFC 4271 section 6). */
    SESSION_RESET,
    /** RFC 7606 section 2 "AFI/SAFI disable": stop using the family; if not possible, reset. */
    AFI_SAFI_DISABLE,
    /** RFC 7606 section 2 "treat-as-withdraw": all NLRI of the UPDATE are withdrawn. */
    TREAT_AS_WITHDRAW,
    /** RFC 7606 section 2 "attribute discard": drop the attribute, keep the route. */
    ATTRIBUTE_DISCARD;

    /** The stronger of two actions (the one that loses more state). */
    public ErrorAction max(ErrorAction other) {
        return this.ordinal() <= other.ordinal() ? this : other;
    }
}
