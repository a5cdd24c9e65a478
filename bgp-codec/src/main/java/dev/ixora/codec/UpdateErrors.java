package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The one place that decides what a malformed UPDATE costs (RFC 7606, read with RFC 4271 section 6.3):
 * the NOTIFICATION subcode and data, and the action. {@link #ACTIONS} is the per-attribute table;
 * the other methods are the message-level rules. Data is the erroneous attribute (type, length and
 * value, RFC 4271 section 6.3) or, for a missing attribute, its type code.
 */
public final class UpdateErrors {
    private UpdateErrors() {}

    // RFC 4271 section 6.3 UPDATE Message Error subcodes
    public static final int MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;
    public static final int MISSING_WELL_KNOWN_ATTRIBUTE = 3;
    public static final int ATTRIBUTE_FLAGS_ERROR = 4;
    public static final int ATTRIBUTE_LENGTH_ERROR = 5;
    public static final int INVALID_ORIGIN_ATTRIBUTE = 6;
    public static final int INVALID_NEXT_HOP_ATTRIBUTE = 8;
    public static final int OPTIONAL_ATTRIBUTE_ERROR = 9;
    public static final int INVALID_NETWORK_FIELD = 10;
    public static final int MALFORMED_AS_PATH = 11;

    /** The action for a malformed known attribute, by type code (RFC 7606 section 7, and as cited). */
    static ErrorAction actionFor(int type) {
        return switch (type) {
            // RFC 7606 7.1 ORIGIN, 7.2 AS_PATH, 7.3 NEXT_HOP, 7.4 MED, 7.5 LOCAL_PREF, 7.8 COMMUNITIES,
            // 7.9 ORIGINATOR_ID, 7.10 CLUSTER_LIST, 7.14 EXTENDED COMMUNITIES; RFC 8092 section 6 LARGE
            case PathAttribute.ORIGIN, PathAttribute.AS_PATH, PathAttribute.NEXT_HOP, PathAttribute.MULTI_EXIT_DISC,
                    PathAttribute.LOCAL_PREF, PathAttribute.COMMUNITIES, PathAttribute.ORIGINATOR_ID,
                    PathAttribute.CLUSTER_LIST, PathAttribute.EXTENDED_COMMUNITIES, PathAttribute.LARGE_COMMUNITY ->
                    ErrorAction.TREAT_AS_WITHDRAW;
            // RFC 7606 7.6 ATOMIC_AGGREGATE, 7.7 AGGREGATOR; RFC 6793 section 6 AS4_PATH/AS4_AGGREGATOR;
            // RFC 9234 section 5 OTC
            case PathAttribute.ATOMIC_AGGREGATE, PathAttribute.AGGREGATOR, PathAttribute.AS4_PATH,
                    PathAttribute.AS4_AGGREGATOR, PathAttribute.OTC -> ErrorAction.ATTRIBUTE_DISCARD;
            // RFC 7606 7.11 / RFC 4760 section 7
            case PathAttribute.MP_REACH_NLRI, PathAttribute.MP_UNREACH_NLRI -> ErrorAction.AFI_SAFI_DISABLE;
            default -> ErrorAction.ATTRIBUTE_DISCARD;
        };
    }

    /**
     * A malformed attribute (length or content). RFC 7606 section 3 i / 7.11: an MP attribute whose
     * AFI/SAFI cannot be read leaves nothing to disable, so the session is reset.
     */
    static BgpError malformed(int type, int subcode, ByteBuf attribute, int valueLength, String reason) {
        byte[] data = ByteBufUtil.getBytes(attribute);
        ErrorAction action = actionFor(type);
        if (action == ErrorAction.AFI_SAFI_DISABLE && valueLength < 3) action = ErrorAction.SESSION_RESET;
        return new BgpError(BgpError.UPDATE_MESSAGE_ERROR, subcode, data, action, reason);
    }

    /**
     * RFC 7606 section 3 c: Optional/Transitive bits in conflict with the attribute's definition make it
     * malformed: treat-as-withdraw, or the attribute's own approach where section 7 (or its RFC) says
     * otherwise (discard for the attribute-discard class, AFI/SAFI disable for MP attributes).
     */
    static BgpError flags(int type, int flags, ByteBuf attribute, int valueLength) {
        return malformed(type, ATTRIBUTE_FLAGS_ERROR, attribute, valueLength,
                "attribute " + type + " flags 0x" + Integer.toHexString(flags) + " conflict with its definition");
    }

    /** RFC 7606 section 3 d: a missing well-known mandatory attribute is treat-as-withdraw. */
    static BgpError missing(int type) {
        return new BgpError(BgpError.UPDATE_MESSAGE_ERROR, MISSING_WELL_KNOWN_ATTRIBUTE, new byte[] {(byte) type},
                ErrorAction.TREAT_AS_WITHDRAW, "missing well-known attribute " + type);
    }

    /**
     * RFC 7606 section 3 g: MP_REACH_NLRI or MP_UNREACH_NLRI more than once is a Malformed Attribute
     * List (session reset); any other repeated attribute: all but the first are discarded.
     */
    static BgpError duplicate(int type, ByteBuf attribute) {
        boolean mp = type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
        return new BgpError(BgpError.UPDATE_MESSAGE_ERROR, MALFORMED_ATTRIBUTE_LIST, ByteBufUtil.getBytes(attribute),
                mp ? ErrorAction.SESSION_RESET : ErrorAction.ATTRIBUTE_DISCARD, "attribute " + type + " repeated");
    }

    /** RFC 4271 section 6.3 (unchanged by RFC 7606 section 3 a): unrecognized well-known attribute. */
    static BgpError unrecognizedWellKnown(int type, ByteBuf attribute) {
        return BgpError.reset(BgpError.UPDATE_MESSAGE_ERROR, UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                ByteBufUtil.getBytes(attribute), "unrecognized well-known attribute " + type);
    }

    /**
     * RFC 7606 section 4: an attribute header or length running past the Total Path Attribute Length:
     * treat-as-withdraw, the NLRI field being located by Total Path Attribute Length. When the
     * overrunning attribute is MP_REACH/MP_UNREACH its NLRI cannot be found (section 3 i): reset.
     */
    static BgpError attributeListOverrun(int type, String reason) {
        boolean mp = type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
        return new BgpError(BgpError.UPDATE_MESSAGE_ERROR, MALFORMED_ATTRIBUTE_LIST, null,
                mp ? ErrorAction.SESSION_RESET : ErrorAction.TREAT_AS_WITHDRAW, reason);
    }

    /**
     * RFC 4271 section 6.3 / RFC 7606 section 4: Withdrawn Routes Length or Total Path Attribute Length
     * inconsistent with the message length: the NLRI cannot be located, session reset.
     */
    static BgpError lengths(String reason) {
        return BgpError.reset(BgpError.UPDATE_MESSAGE_ERROR, MALFORMED_ATTRIBUTE_LIST, null, reason);
    }

    /**
     * RFC 7606 section 5.3: an NLRI or Withdrawn Routes field that cannot be parsed (prefix length too
     * long, or overrunning the field) cannot be treated as withdrawn: session reset.
     */
    static BgpError nlriField(String reason) {
        return BgpError.reset(BgpError.UPDATE_MESSAGE_ERROR, INVALID_NETWORK_FIELD, null, reason);
    }

    /** Last resort when the decoder hit something it did not check (never expected). */
    static BgpError unexpected(String reason) {
        return BgpError.reset(BgpError.UPDATE_MESSAGE_ERROR, MALFORMED_ATTRIBUTE_LIST, null, reason);
    }

    /**
     * The family an {@link ErrorAction#AFI_SAFI_DISABLE} error is about, read from its data (the
     * MP_REACH_NLRI / MP_UNREACH_NLRI attribute, whose value starts with AFI and SAFI); null otherwise.
     */
    public static AfiSafi family(BgpError error) {
        byte[] d = error.data();
        if (error.action() != ErrorAction.AFI_SAFI_DISABLE || d.length < 3) return null;
        int header = (d[0] & PathAttribute.EXTENDED_LENGTH) != 0 ? 4 : 3;
        if (d.length < header + 3) return null;
        return AfiSafi.of(((d[header] & 0xFF) << 8) | (d[header + 1] & 0xFF), d[header + 2] & 0xFF);
    }
}
