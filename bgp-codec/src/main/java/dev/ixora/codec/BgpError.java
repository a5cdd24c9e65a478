package dev.ixora.codec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A decode error as a value: the NOTIFICATION code/subcode/data RFC 4271 asks for, the RFC 7606
 * action to take, and a human reason for the log. Decoding never throws past the codec.
 */
public record BgpError(int code, int subcode, byte[] data, ErrorAction action, String reason) {
    // RFC 4271 section 4.5 error codes
    public static final int MESSAGE_HEADER_ERROR = 1;
    public static final int OPEN_MESSAGE_ERROR = 2;
    public static final int UPDATE_MESSAGE_ERROR = 3;
    public static final int HOLD_TIMER_EXPIRED = 4;
    public static final int FSM_ERROR = 5;
    public static final int CEASE = 6;
    public static final int ROUTE_REFRESH_MESSAGE_ERROR = 7; // RFC 7313

    public BgpError {
        data = data == null ? new byte[0] : data.clone();
        if (action == null) throw new IllegalArgumentException("action is required");
        if (reason == null) reason = "";
    }

    public static BgpError reset(int code, int subcode, byte[] data, String reason) {
        return new BgpError(code, subcode, data, ErrorAction.SESSION_RESET, reason);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BgpError e && e.code == code && e.subcode == subcode
                && Arrays.equals(e.data, data) && e.action == action && e.reason.equals(reason);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * code + subcode) + Arrays.hashCode(data)) + action.hashCode();
    }

    @Override
    public String toString() {
        return "BgpError[" + code + "/" + subcode + " " + action + ": " + reason
                + (data.length > 0 ? " data=" + HexFormat.of().formatHex(data) : "") + "]";
    }
}
