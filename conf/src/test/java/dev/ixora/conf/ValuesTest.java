package dev.ixora.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void asnSpellings() {
        assertEquals(64500, Values.asn("64500"));
        assertEquals(64500, Values.asn("AS64500"));
        assertEquals(64500, Values.asn("as64500"));
        assertEquals(65546, Values.asn("1.10"));       // RFC 5396 asdot
        assertEquals(4294967295L, Values.asn("65535.65535"));
        assertEquals(4294967295L, Values.asn("4294967295"));
        assertThrows(IllegalArgumentException.class, () -> Values.asn("0.0"));
        assertThrows(IllegalArgumentException.class, () -> Values.asn("99999999999999999999"));
    }

    @Test
    void ipv6TextIsRfc5952() {
        assertEquals("2001:db8::1", Addresses.format(Addresses.parse("2001:DB8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.format(Addresses.parse("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", Addresses.format(Addresses.parse("2001:0:0:1:0:0:0:1")));
        assertEquals("::", Addresses.format(Addresses.parse("::")));
        assertEquals("::1", Addresses.format(Addresses.parse("::1")));
        assertEquals("fe80::", Addresses.format(Addresses.parse("fe80::")));
    }

    @Test
    void lenientInetAddressFormsAreRejected() {
        for (String s : List.of("10.1", "010.0.0.1", "1.2.3.4.5", "0x7f.0.0.1", "::ffff:198.18.0.1", "fe80::1%eth0", "")) {
            assertThrows(IllegalArgumentException.class, () -> Addresses.parse(s), s);
        }
    }

    @Test
    void exceptionMessageListsEveryErrorOnItsOwnLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("x.yaml",
                "router:\n  asn: 0\n  router-id: 1.2.3\n"));
        assertEquals("x.yaml:2:8: AS 0 is reserved (RFC 7607), got \"0\"\n"
                + "x.yaml:3:14: expected a router id as a dotted quad like 198.18.0.1, got \"1.2.3\"", e.getMessage());
        assertEquals(2, e.errors().size());
        assertEquals(new ConfigError("x.yaml", 3, 14, "expected a router id as a dotted quad like 198.18.0.1, got \"1.2.3\""),
                e.errors().get(1));
    }

    @Test
    void wellKnownCommunities() {
        assertEquals(Community.of(65535, 666), Community.parse("blackhole"));
        assertEquals(Community.of(65535, 0), Community.parse("graceful-shutdown"));
        assertEquals(new Community(0xFFFFFF01L), Community.parse("no-export"));
        assertEquals(new Community(0xFFFFFF02L), Community.parse("no-advertise"));
    }
}
