package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationMessageTest {

    @Test
    void describesEveryKnownCodeAndSubcode() {
        int[][] known = {{1, 1}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 3}, {2, 4}, {2, 5}, {2, 6}, {2, 7}, {2, 11},
                {3, 0}, {3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 5}, {3, 6}, {3, 7}, {3, 8}, {3, 9}, {3, 10}, {3, 11},
                {4, 0}, {5, 0}, {5, 1}, {5, 2}, {5, 3}, {6, 1}, {6, 2}, {6, 3}, {6, 4}, {6, 5}, {6, 6}, {6, 7},
                {6, 8}, {6, 9}, {6, 10}, {7, 1}, {8, 0}};
        for (int[] cs : known) {
            String d = new NotificationMessage(cs[0], cs[1]).describe();
            assertFalse(d.contains("Unknown"), d);
        }
        assertEquals("Cease / Administrative Shutdown", new NotificationMessage(6, 2).describe());
        assertEquals("Message Header Error / Bad Message Length: length 4097",
                new NotificationMessage(1, 2, new byte[] {0x10, 0x01}).describe());
        assertEquals("OPEN Message Error / Unsupported Version Number: supported version 4",
                new NotificationMessage(2, 1, new byte[] {0, 4}).describe());
        assertEquals("Hold Timer Expired", new NotificationMessage(4, 0).describe());
        assertEquals("ROUTE-REFRESH Message Error / Invalid Message Length (data 0a0b)",
                new NotificationMessage(7, 1, new byte[] {10, 11}).describe());
        assertEquals("Cease / Unknown subcode 99", new NotificationMessage(6, 99).describe());
        assertEquals("Unknown error code 42 / Unknown subcode 1", new NotificationMessage(42, 1).describe());
    }

    @Test
    void ceaseDataIsRendered() {
        // RFC 4486 section 4: AFI, SAFI, prefix limit.
        assertEquals("Cease / Maximum Number of Prefixes Reached: ipv6-unicast limit 100000",
                new NotificationMessage(6, 1, Hex.bytes("0002 01 000186a0")).describe());
        // RFC 8538 section 3: Hard Reset wraps the cause.
        assertEquals("Cease / Hard Reset: cause Cease / Administrative Reset: \"bye\"",
                new NotificationMessage(6, 9, Hex.bytes("06 04 03 627965")).describe());
        assertEquals("Cease / Administrative Shutdown: \"maint\"", NotificationMessage.cease(2, "maint").describe());
    }

    @Test
    void shutdownCommunicationIsCutAtACharacterBoundary() {
        // 100 three-byte characters: 300 bytes; RFC 9003 allows 255, i.e. 85 whole characters.
        String text = "\u20ac".repeat(100);
        NotificationMessage n = NotificationMessage.cease(4, text);
        assertEquals(1 + 255, n.dataLength());
        assertEquals(255, n.data()[0] & 0xFF);
        assertEquals("\u20ac".repeat(85), n.shutdownMessage().orElseThrow());
        NotificationMessage n2 = NotificationMessage.cease(2, "x".repeat(300) );
        assertEquals("x".repeat(255), n2.shutdownMessage().orElseThrow());
    }

    @Test
    void shutdownCommunicationDecodesLeniently() {
        // Length byte says 10 but 3 bytes follow: use what is there.
        assertEquals(Optional.of("abc"), new NotificationMessage(6, 2, Hex.bytes("0a 616263")).shutdownMessage());
        // Invalid UTF-8 does not throw.
        String s = new NotificationMessage(6, 4, Hex.bytes("02 ff61")).shutdownMessage().orElseThrow();
        assertEquals("\ufffda", s);
        assertEquals(Optional.empty(), new NotificationMessage(6, 2, Hex.bytes("00")).shutdownMessage());
        assertEquals(Optional.empty(), new NotificationMessage(6, 2).shutdownMessage());
        assertEquals(Optional.empty(), new NotificationMessage(6, 3, Hex.bytes("03 616263")).shutdownMessage());
        assertEquals(Optional.empty(), new NotificationMessage(3, 2, Hex.bytes("03 616263")).shutdownMessage());
    }

    @Test
    void ceaseWithoutTextOrForOtherSubcodesHasNoData() {
        assertEquals(0, NotificationMessage.cease(2, null).dataLength());
        assertEquals(0, NotificationMessage.cease(2, "").dataLength());
        assertEquals(0, NotificationMessage.cease(3, "ignored").dataLength());
        assertEquals(6, NotificationMessage.cease(7).code());
    }

    @Test
    void fromErrorCopiesCodeSubcodeData() {
        BgpError e = BgpError.reset(1, 2, new byte[] {0x10, 0x01}, "too long");
        assertEquals(new NotificationMessage(1, 2, new byte[] {0x10, 0x01}), NotificationMessage.of(e));
    }

    @Test
    void valueSemantics() {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        NotificationMessage n = new NotificationMessage(6, 2, data);
        data[0] = 'z';
        assertEquals(new NotificationMessage(6, 2, "abc".getBytes(StandardCharsets.US_ASCII)), n);
        n.data()[0] = 'y';
        assertEquals('a', n.data()[0]);
        assertThrows(IllegalArgumentException.class, () -> new NotificationMessage(256, 0));
        assertThrows(IllegalArgumentException.class, () -> new NotificationMessage(6, -1));
    }
}
