package dev.ixora.codec;

import static dev.ixora.codec.UpdateTestSupport.decodeOk;
import static dev.ixora.codec.UpdateTestSupport.encode;
import static dev.ixora.codec.UpdateTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateGoldenTest {
    static final SessionCodecContext FOUR = SessionCodecContext.FOUR_OCTET;

    private static void golden(String hexBody, UpdateMessage expected, SessionCodecContext ctx) {
        byte[] body = hex(hexBody);
        UpdateMessage got = decodeOk(body, ctx);
        assertEquals(expected, got);
        assertEquals(hex(body), hex(encode(expected, ctx)));
    }

    @Test
    void simpleIpv4Announcement() {
        golden("0000 001f"
                        + "400101 00"
                        + "40020a 02 02 0000fde8 0000fde9"
                        + "400304 c0000201"
                        + "800404 00000064"
                        + "18 cb0071",
                UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(65000, 65001),
                        PathAttribute.NextHop.parse("192.0.2.1"), new PathAttribute.Med(100)),
                        List.of(Nlri.parse("203.0.113.0/24"))),
                FOUR);
    }
}
