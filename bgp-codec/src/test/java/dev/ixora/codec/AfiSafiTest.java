package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class AfiSafiTest {
    @Test
    void knownNamesRoundTrip() {
        assertEquals(AfiSafi.IPV4_UNICAST, AfiSafi.fromName("ipv4-unicast"));
        assertEquals("ipv6-unicast", AfiSafi.IPV6_UNICAST.toString());
        assertSame(AfiSafi.IPV6_UNICAST, AfiSafi.of(2, 1));
        assertNull(AfiSafi.fromName("ipv4-flowspec"));
        assertEquals("afi25-safi70", AfiSafi.of(25, 70).toString());
    }

    @Test
    void strongerActionWins() {
        assertEquals(ErrorAction.SESSION_RESET, ErrorAction.TREAT_AS_WITHDRAW.max(ErrorAction.SESSION_RESET));
        assertEquals(ErrorAction.TREAT_AS_WITHDRAW, ErrorAction.TREAT_AS_WITHDRAW.max(ErrorAction.ATTRIBUTE_DISCARD));
    }
}
