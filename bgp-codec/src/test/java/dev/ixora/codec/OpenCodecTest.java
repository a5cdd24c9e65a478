package dev.ixora.codec;

import static dev.ixora.codec.Hex.MARKER;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenCodecTest {
    // Each capability TLV with the record it must decode to.
    static final String[] CAP_HEX = {
            "0104 0001 0001", "0104 0002 0001", "0200", "4600", "0600", "0901 02",
            "4006 8078 0001 0180", "4104 0000fde9", "4504 0001 0103",
            "4910 03 727331 0b 6578616d706c652e6e6574", "8000", "c803 aabbcc"};
    static final List<Capability> CAPS = List.of(
            new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
            new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST),
            new Capability.RouteRefresh(),
            new Capability.EnhancedRouteRefresh(),
            new Capability.ExtendedMessage(),
            new Capability.Role(Capability.Role.RS_CLIENT),
            new Capability.GracefulRestart(0x8, 120,
                    List.of(new Capability.GracefulRestart.Family(AfiSafi.IPV4_UNICAST, true))),
            new Capability.FourOctetAs(65001),
            new Capability.AddPath(List.of(new Capability.AddPath.Family(AfiSafi.IPV4_UNICAST, 3))),
            new Capability.Fqdn("rs1", "example.net"),
            new Capability.Unknown(128, new byte[0]),
            new Capability.Unknown(200, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}));

    static final String OPEN_HEX = MARKER + "0061 01" + "04 fde9 005a c0000201" + "44 02 42" + String.join("", CAP_HEX);
    static final OpenMessage OPEN = new OpenMessage(4, 65001, 90, 0xC0000201L, CAPS);

    @Test
    void goldenOpenWithEveryCapability() {
        OpenMessage open = (OpenMessage) Hex.decoded(Hex.decode(OPEN_HEX));
        assertEquals(OPEN, open);
        assertEquals(65001, open.asn());
        assertTrue(open.capability(Capability.Fqdn.class).isPresent());
        assertEquals(Hex.hex(Hex.bytes(OPEN_HEX)), Hex.encode(OPEN));
    }

    @Test
    void eachCapabilityAloneRoundTrips() {
        for (int i = 0; i < CAP_HEX.length; i++) {
            String caps = CAP_HEX[i].replace(" ", "");
            int capLen = caps.length() / 2;
            String hex = MARKER + String.format("%04x", 29 + 2 + capLen) + "01" + "04 fde9 00b4 0a000001"
                    + String.format("%02x 02 %02x", capLen + 2, capLen) + caps;
            OpenMessage expected = new OpenMessage(4, 65001, 180, 0x0A000001L, List.of(CAPS.get(i)));
            assertEquals(expected, Hex.decoded(Hex.decode(hex)), CAP_HEX[i]);
            assertEquals(Hex.hex(Hex.bytes(hex)), Hex.encode(expected), CAP_HEX[i]);
        }
    }

    @Test
    void openWithoutParameters() {
        String hex = MARKER + "001d 01 04 5ba0 0000 ffffffff 00";
        OpenMessage expected = new OpenMessage(4, OpenMessage.AS_TRANS, 0, 0xFFFFFFFFL, List.of());
        assertEquals(expected, Hex.decoded(Hex.decode(hex)));
        assertEquals(Hex.hex(Hex.bytes(hex)), Hex.encode(expected));
        assertEquals(OpenMessage.AS_TRANS, expected.asn());
    }

    @Test
    void oneParameterPerCapabilityDecodesToTheSameList() {
        // RFC 5492 section 4: capabilities may come one per parameter or many in one.
        StringBuilder params = new StringBuilder();
        int paramsLen = 0;
        for (String cap : CAP_HEX) {
            String c = cap.replace(" ", "");
            params.append(String.format("02%02x", c.length() / 2)).append(c);
            paramsLen += 2 + c.length() / 2;
        }
        String hex = MARKER + String.format("%04x", 29 + paramsLen) + "01 04 fde9 005a c0000201"
                + String.format("%02x", paramsLen) + params;
        assertEquals(OPEN, Hex.decoded(Hex.decode(hex)));
    }

    @Test
    void extendedOptionalParametersDecodeEvenWhenShort() {
        // RFC 9072 section 2: ff (Non-Ext OP Len), ff (Non-Ext OP Type), 2-octet length, 2-octet
        // parameter lengths. A short list in the long form still decodes.
        String hex = MARKER + "0025 01 04 fde9 005a c0000201 ff ff 0005 02 0002 0200";
        OpenMessage open = (OpenMessage) Hex.decoded(Hex.decode(hex));
        assertEquals(List.of(new Capability.RouteRefresh()), open.capabilities());
        // ...and encodes back in the short form, since it fits.
        assertEquals(Hex.hex(Hex.bytes(MARKER + "0021 01 04 fde9 005a c0000201 04 02 02 0200")), Hex.encode(open));
    }

    @Test
    void longCapabilityListUsesExtendedFormAndRoundTrips() {
        List<Capability> caps = new ArrayList<>();
        for (int i = 0; i < 70; i++) caps.add(new Capability.Multiprotocol(AfiSafi.of(1, 128 + i)));
        OpenMessage open = new OpenMessage(4, 64512, 90, 1, caps);
        String hex = Hex.encode(open);
        int capsLen = 70 * 6;
        // header 19 + fixed 10 (Non-Ext OP Len = ff) + ff + 2-octet ext len + type + 2-octet len + caps
        String prefix = MARKER + String.format("%04x", 19 + 10 + 3 + 3 + capsLen) + "01 04 fc00 005a 00000001"
                + "ff ff" + String.format("%04x", capsLen + 3) + "02" + String.format("%04x", capsLen) + "0104 0001 0080";
        assertTrue(hex.startsWith(prefix.replace(" ", "")), hex);
        assertEquals(open, Hex.decoded(Hex.decode(hex)));
    }

    @Test
    void exactly253BytesOfCapabilitiesStillUseTheShortForm() {
        // 2 (param header) + 253 = 255: the most a one-octet Opt Parm Len can say.
        OpenMessage open = new OpenMessage(4, 64512, 90, 1, List.of(
                new Capability.Unknown(200, new byte[251])));
        String hex = Hex.encode(open);
        assertTrue(hex.startsWith((MARKER + String.format("%04x", 29 + 255) + "01 04 fc00 005a 00000001 ff 02 fd c8 fb")
                .replace(" ", "")), hex);
        assertEquals(open, Hex.decoded(Hex.decode(hex)));
        OpenMessage bigger = new OpenMessage(4, 64512, 90, 1, List.of(
                new Capability.Unknown(200, new byte[252])));
        assertTrue(Hex.encode(bigger).startsWith((MARKER + String.format("%04x", 29 + 3 + 3 + 254)
                + "01 04 fc00 005a 00000001 ff ff 0101 02 00fe").replace(" ", "")));
        assertEquals(bigger, Hex.decoded(Hex.decode(Hex.encode(bigger))));
    }

    private static void assertOpenError(String hex, int subcode, String data) {
        BgpError e = Hex.failed(Hex.decode(hex));
        assertEquals(BgpError.OPEN_MESSAGE_ERROR, e.code(), e.toString());
        assertEquals(subcode, e.subcode(), e.toString());
        assertEquals(data, Hex.hex(e.data()), e.toString());
        assertEquals(ErrorAction.SESSION_RESET, e.action());
    }

    @Test
    void unsupportedVersionCarriesOurVersion() {
        // RFC 4271 section 6.2: data is the largest supported version as 2 octets.
        assertOpenError(MARKER + "001d 01 03 fde9 005a c0000201 00", 1, "0004");
        assertOpenError(MARKER + "001d 01 05 fde9 005a c0000201 00", 1, "0004");
    }

    @Test
    void holdTimeOneOrTwoIsUnacceptable() {
        assertOpenError(MARKER + "001d 01 04 fde9 0001 c0000201 00", 6, "");
        assertOpenError(MARKER + "001d 01 04 fde9 0002 c0000201 00", 6, "");
        assertInstanceOf(DecodeResult.Decoded.class, Hex.decode(MARKER + "001d 01 04 fde9 0000 c0000201 00"));
        assertInstanceOf(DecodeResult.Decoded.class, Hex.decode(MARKER + "001d 01 04 fde9 0003 c0000201 00"));
    }

    @Test
    void zeroIdentifierIsBadButAnyOtherIsFine() {
        assertOpenError(MARKER + "001d 01 04 fde9 005a 00000000 00", 3, "");
        // RFC 6793: not required to be a unicast address any more.
        assertInstanceOf(DecodeResult.Decoded.class, Hex.decode(MARKER + "001d 01 04 fde9 005a e0000001 00"));
    }

    @Test
    void nonCapabilityParameterIsUnsupported() {
        // Parameter type 1 (the deprecated Authentication Information).
        assertOpenError(MARKER + "0021 01 04 fde9 005a c0000201 04 01 02 abcd", 4, "");
    }

    @Test
    void inconsistentLengthsAreUnspecificOpenErrors() {
        // Opt Parm Len says 5, 4 bytes follow.
        assertOpenError(MARKER + "0021 01 04 fde9 005a c0000201 05 02 02 0200", 0, "");
        // Opt Parm Len says 3, 4 bytes follow.
        assertOpenError(MARKER + "0021 01 04 fde9 005a c0000201 03 02 02 0200", 0, "");
        // Parameter length 3 overruns the 4 bytes.
        assertOpenError(MARKER + "0021 01 04 fde9 005a c0000201 04 02 03 0200", 0, "");
        // Capability length 1 overruns its parameter.
        assertOpenError(MARKER + "0021 01 04 fde9 005a c0000201 04 02 02 0201", 0, "");
        // A lone byte where a capability header should be.
        assertOpenError(MARKER + "0020 01 04 fde9 005a c0000201 03 02 01 02", 0, "");
        // Extended form cut short after the Non-Ext OP Type.
        assertOpenError(MARKER + "001f 01 04 fde9 005a c0000201 ff ff 00", 0, "");
    }

    @Test
    void malformedKnownCapabilitiesAreUnspecificOpenErrors() {
        String[] bad = {"0103 000100", "0201 00", "4104 0000", "0900", "4005 80780001", "4503 000101",
                "4904 03 7273", "0601 00", "4601 00"};
        for (String cap : bad) {
            String c = cap.replace(" ", "");
            int capLen = c.length() / 2;
            String hex = MARKER + String.format("%04x", 29 + 2 + capLen) + "01 04 fde9 005a c0000201"
                    + String.format("%02x 02 %02x", capLen + 2, capLen) + c;
            assertOpenError(hex, 0, "");
        }
    }

    @Test
    void addPathWithUnknownDirectionIsKeptUninterpreted() {
        // RFC 7911 section 4: other Send/Receive values: treat the capability as not understood.
        String hex = MARKER + "0025 01 04 fde9 005a c0000201 08 02 06 4504 0001 0104";
        OpenMessage open = (OpenMessage) Hex.decoded(Hex.decode(hex));
        assertEquals(List.of(new Capability.Unknown(69, Hex.bytes("00010104"))), open.capabilities());
        assertEquals(Hex.hex(Hex.bytes(hex)), Hex.encode(open));
    }

    @Test
    void shortOpenIsAHeaderError() {
        BgpError e = Hex.failed(Hex.decode(MARKER + "001c 01 04 fde9 005a c0000201"));
        assertEquals(List.of(1, 2, "001c"), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
    }
}
