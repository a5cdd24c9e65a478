package dev.ixora.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * NOTIFICATION (RFC 4271 section 4.5): error code, subcode, data. {@link #describe()} names every
 * code and subcode the codec knows (see {@link NotificationText}); {@link #shutdownMessage()} reads
 * the RFC 9003 shutdown communication of Cease subcodes 2 and 4.
 */
public record NotificationMessage(int code, int subcode, byte[] data) implements BgpMessage {
    // RFC 4486 section 4 Cease subcodes, RFC 8538 section 5 Hard Reset, RFC 9384 BFD Down
    public static final int CEASE_MAX_PREFIXES = 1;
    public static final int CEASE_ADMIN_SHUTDOWN = 2;
    public static final int CEASE_PEER_DECONFIGURED = 3;
    public static final int CEASE_ADMIN_RESET = 4;
    public static final int CEASE_CONNECTION_REJECTED = 5;
    public static final int CEASE_OTHER_CONFIG_CHANGE = 6;
    public static final int CEASE_CONNECTION_COLLISION = 7;
    public static final int CEASE_OUT_OF_RESOURCES = 8;
    public static final int CEASE_HARD_RESET = 9;
    public static final int CEASE_BFD_DOWN = 10;

    /** RFC 9003 section 2: the shutdown communication is at most 255 bytes of UTF-8. */
    public static final int MAX_SHUTDOWN_MESSAGE = 255;

    public NotificationMessage {
        if (code < 0 || code > 0xFF) throw new IllegalArgumentException("code out of range: " + code);
        if (subcode < 0 || subcode > 0xFF) throw new IllegalArgumentException("subcode out of range: " + subcode);
        data = data == null ? new byte[0] : data.clone();
    }

    public NotificationMessage(int code, int subcode) {
        this(code, subcode, null);
    }

    /** The NOTIFICATION a session sends for a decode error (RFC 4271 section 6). */
    public static NotificationMessage of(BgpError error) {
        return new NotificationMessage(error.code(), error.subcode(), error.data());
    }

    /**
     * A Cease (RFC 4486). For Administrative Shutdown and Reset a non-empty {@code shutdownMessage}
     * becomes the RFC 9003 shutdown communication: a length byte and UTF-8, cut to 255 bytes at a
     * character boundary. For other subcodes the message is ignored.
     */
    public static NotificationMessage cease(int subcode, String shutdownMessage) {
        boolean carriesText = subcode == CEASE_ADMIN_SHUTDOWN || subcode == CEASE_ADMIN_RESET;
        if (!carriesText || shutdownMessage == null || shutdownMessage.isEmpty()) {
            return new NotificationMessage(BgpError.CEASE, subcode);
        }
        byte[] text = utf8Prefix(shutdownMessage, MAX_SHUTDOWN_MESSAGE);
        byte[] data = new byte[text.length + 1];
        data[0] = (byte) text.length;
        System.arraycopy(text, 0, data, 1, text.length);
        return new NotificationMessage(BgpError.CEASE, subcode, data);
    }

    public static NotificationMessage cease(int subcode) {
        return cease(subcode, null);
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Data length without copying. */
    public int dataLength() {
        return data.length;
    }

    /**
     * RFC 9003 section 2 shutdown communication of Cease 2/4, decoded leniently: a length byte
     * longer than the data is cut to the data, invalid UTF-8 becomes U+FFFD. Empty when absent.
     */
    public Optional<String> shutdownMessage() {
        if (code != BgpError.CEASE || (subcode != CEASE_ADMIN_SHUTDOWN && subcode != CEASE_ADMIN_RESET)
                || data.length < 2) {
            return Optional.empty();
        }
        int len = Math.min(data[0] & 0xFF, data.length - 1);
        if (len == 0) return Optional.empty();
        return Optional.of(new String(data, 1, len, StandardCharsets.UTF_8));
    }

    /** "Cease / Administrative Shutdown: \"maintenance\"" and the like, for logs and the CLI. */
    public String describe() {
        return NotificationText.describe(code, subcode, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotificationMessage n && n.code == code && n.subcode == subcode
                && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * code + subcode) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NotificationMessage[" + code + "/" + subcode
                + (data.length > 0 ? " data=" + HexFormat.of().formatHex(data) : "") + "]";
    }

    private static byte[] utf8Prefix(String s, int maxBytes) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(maxBytes);
        // An overflow stops at a whole character, never inside a multi-byte sequence.
        CoderResult result = encoder.encode(CharBuffer.wrap(s), out, true);
        if (!result.isOverflow()) encoder.flush(out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
