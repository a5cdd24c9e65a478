package dev.ixora.codec;

import java.util.HexFormat;

/** Human names of NOTIFICATION codes and subcodes (IANA "BGP Error (Notification) Codes"). */
public final class NotificationText {
    private NotificationText() {}

    /** The error code's name, e.g. "Cease"; "Unknown error code N" otherwise. */
    public static String codeName(int code) {
        return switch (code) {
            // RFC 4271 section 4.5
            case 1 -> "Message Header Error";
            case 2 -> "OPEN Message Error";
            case 3 -> "UPDATE Message Error";
            case 4 -> "Hold Timer Expired";
            case 5 -> "Finite State Machine Error";
            case 6 -> "Cease";
            case 7 -> "ROUTE-REFRESH Message Error"; // RFC 7313 section 5
            case 8 -> "Send Hold Timer Expired";     // RFC 9687
            default -> "Unknown error code " + code;
        };
    }

    /** The subcode's name within its code, e.g. "Administrative Shutdown"; "Unknown subcode N" otherwise. */
    public static String subcodeName(int code, int subcode) {
        String name = switch (code) {
            // RFC 4271 section 4.5 / 6.1
            case 1 -> switch (subcode) {
                case 1 -> "Connection Not Synchronized";
                case 2 -> "Bad Message Length";
                case 3 -> "Bad Message Type";
                default -> null;
            };
            // RFC 4271 section 6.2, RFC 5492 section 5 (7), RFC 9234 section 4.2 (11)
            case 2 -> switch (subcode) {
                case 0 -> "Unspecific";
                case 1 -> "Unsupported Version Number";
                case 2 -> "Bad Peer AS";
                case 3 -> "Bad BGP Identifier";
                case 4 -> "Unsupported Optional Parameter";
                case 5 -> "Authentication Failure (deprecated)";
                case 6 -> "Unacceptable Hold Time";
                case 7 -> "Unsupported Capability";
                case 8, 9, 10 -> "Deprecated";
                case 11 -> "Role Mismatch";
                default -> null;
            };
            // RFC 4271 section 6.3
            case 3 -> switch (subcode) {
                case 0 -> "Unspecific";
                case 1 -> "Malformed Attribute List";
                case 2 -> "Unrecognized Well-known Attribute";
                case 3 -> "Missing Well-known Attribute";
                case 4 -> "Attribute Flags Error";
                case 5 -> "Attribute Length Error";
                case 6 -> "Invalid ORIGIN Attribute";
                case 7 -> "AS Routing Loop (deprecated)";
                case 8 -> "Invalid NEXT_HOP Attribute";
                case 9 -> "Optional Attribute Error";
                case 10 -> "Invalid Network Field";
                case 11 -> "Malformed AS_PATH";
                default -> null;
            };
            // RFC 6608 section 4
            case 5 -> switch (subcode) {
                case 0 -> "Unspecified Error";
                case 1 -> "Receive Unexpected Message in OpenSent State";
                case 2 -> "Receive Unexpected Message in OpenConfirm State";
                case 3 -> "Receive Unexpected Message in Established State";
                default -> null;
            };
            // RFC 4486 section 4, RFC 8538 section 5, RFC 9384 section 3
            case 6 -> switch (subcode) {
                case 0 -> "Unspecific";
                case 1 -> "Maximum Number of Prefixes Reached";
                case 2 -> "Administrative Shutdown";
                case 3 -> "Peer De-configured";
                case 4 -> "Administrative Reset";
                case 5 -> "Connection Rejected";
                case 6 -> "Other Configuration Change";
                case 7 -> "Connection Collision Resolution";
                case 8 -> "Out of Resources";
                case 9 -> "Hard Reset";
                case 10 -> "BFD Down";
                default -> null;
            };
            // RFC 7313 section 5
            case 7 -> subcode == 1 ? "Invalid Message Length" : null;
            // Hold Timer Expired and Send Hold Timer Expired have no subcodes.
            case 4, 8 -> subcode == 0 ? "" : null;
            default -> null;
        };
        return name != null ? name : "Unknown subcode " + subcode;
    }

    /** Code, subcode and a rendering of the data where its format is defined. */
    public static String describe(int code, int subcode, byte[] data) {
        String sub = subcodeName(code, subcode);
        StringBuilder sb = new StringBuilder(codeName(code));
        if (!sub.isEmpty()) sb.append(" / ").append(sub);
        String detail = dataDetail(code, subcode, data);
        if (detail != null) {
            sb.append(": ").append(detail);
        } else if (data.length > 0) {
            sb.append(" (data ").append(HexFormat.of().formatHex(data)).append(')');
        }
        return sb.toString();
    }

    private static String dataDetail(int code, int subcode, byte[] data) {
        if (code == BgpError.CEASE) {
            switch (subcode) {
                case NotificationMessage.CEASE_ADMIN_SHUTDOWN, NotificationMessage.CEASE_ADMIN_RESET -> {
                    return new NotificationMessage(code, subcode, data).shutdownMessage()
                            .map(m -> '"' + m + '"').orElse(null);
                }
                case NotificationMessage.CEASE_MAX_PREFIXES -> {
                    // RFC 4486 section 4: optional AFI (2), SAFI (1), upper bound (4).
                    if (data.length != 7) return null;
                    int afi = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
                    long limit = ((data[3] & 0xFFL) << 24) | ((data[4] & 0xFF) << 16) | ((data[5] & 0xFF) << 8)
                            | (data[6] & 0xFF);
                    return AfiSafi.of(afi, data[2] & 0xFF) + " limit " + limit;
                }
                case NotificationMessage.CEASE_HARD_RESET -> {
                    // RFC 8538 section 3: the data is the cause, a code/subcode/data of its own.
                    if (data.length < 2) return null;
                    byte[] inner = java.util.Arrays.copyOfRange(data, 2, data.length);
                    return "cause " + describe(data[0] & 0xFF, data[1] & 0xFF, inner);
                }
                default -> {
                    return null;
                }
            }
        }
        if (code == BgpError.MESSAGE_HEADER_ERROR && subcode == MessageHeader.BAD_MESSAGE_LENGTH
                && data.length == 2) {
            return "length " + (((data[0] & 0xFF) << 8) | (data[1] & 0xFF));
        }
        if (code == BgpError.MESSAGE_HEADER_ERROR && subcode == MessageHeader.BAD_MESSAGE_TYPE && data.length == 1) {
            return "type " + (data[0] & 0xFF);
        }
        if (code == BgpError.OPEN_MESSAGE_ERROR && subcode == 1 && data.length == 2) {
            return "supported version " + (((data[0] & 0xFF) << 8) | (data[1] & 0xFF));
        }
        return null;
    }
}
