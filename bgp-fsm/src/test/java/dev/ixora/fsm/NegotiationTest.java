package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Capability;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.SessionCodecContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NegotiationTest {
    static final AfiSafi V4 = AfiSafi.IPV4_UNICAST;
    static final AfiSafi V6 = AfiSafi.IPV6_UNICAST;

    static NegotiatedSession negotiate(PeerSettings s, Capability... peerCaps) {
        List<Capability> caps = new java.util.ArrayList<>(List.of(peerCaps));
        OpenMessage peer = new OpenMessage(4, 65002, 60, 0x0A000002L, caps);
        OpenNegotiation.Result r = OpenNegotiation.negotiate(s, s.openMessage(), peer);
        assertInstanceOf(OpenNegotiation.Result.Accepted.class, r, r.toString());
        return ((OpenNegotiation.Result.Accepted) r).session();
    }

    static PeerSettings.Builder settings() {
        return SessionFsmTest.settings().families(Set.of(V4, V6));
    }

    @Test
    void noMultiprotocolCapabilityImpliesIpv4UnicastOnly() {
        // RFC 4760 section 8
        NegotiatedSession n = negotiate(settings().build());
        assertEquals(Set.of(V4), n.families());
        assertFalse(n.fourOctetAs());
        assertEquals(SessionCodecContext.INITIAL, n.codecContext());
    }

    @Test
    void familiesAreTheIntersection() {
        NegotiatedSession n = negotiate(settings().build(), new Capability.Multiprotocol(V6),
                new Capability.Multiprotocol(AfiSafi.of(1, 4)));
        assertEquals(Set.of(V6), n.families());
    }

    @Test
    void capabilitiesNeedBothSides() {
        NegotiatedSession n = negotiate(settings().extendedMessages(false).build(),
                new Capability.ExtendedMessage(), new Capability.RouteRefresh(), new Capability.FourOctetAs(65002));
        assertFalse(n.extendedMessages());
        assertTrue(n.routeRefresh());
        assertFalse(n.enhancedRouteRefresh());
        assertTrue(n.fourOctetAs());
        n = negotiate(settings().build(), new Capability.ExtendedMessage(), new Capability.EnhancedRouteRefresh());
        assertTrue(n.extendedMessages());
        assertTrue(n.enhancedRouteRefresh());
        assertEquals(65535, n.codecContext().maxMessageLength());
    }

    @Test
    void addPathPerFamilyAndDirection() {
        PeerSettings s = settings().addPathReceive(Set.of(V4, V6)).addPathSend(Set.of(V4)).build();
        // Peer: IPv4 send+receive, IPv6 receive only.
        NegotiatedSession n = negotiate(s, new Capability.Multiprotocol(V4), new Capability.Multiprotocol(V6),
                new Capability.AddPath(List.of(new Capability.AddPath.Family(V4, 3), new Capability.AddPath.Family(V6, 1))));
        assertEquals(Set.of(V4), n.addPathReceive(), "IPv6: the peer does not send path ids");
        assertEquals(Set.of(V4), n.addPathSend());
        assertEquals(Set.of(V4), n.codecContext().addPathReceive());
        assertEquals(Set.of(V4), n.codecContext().addPathSend());
    }

    @Test
    void peerInformationIsKept() {
        Capability.GracefulRestart gr = new Capability.GracefulRestart(0x8, 120, List.of());
        NegotiatedSession n = negotiate(settings().role(Capability.Role.RS).build(), gr,
                new Capability.Role(Capability.Role.RS_CLIENT), new Capability.Fqdn("r1", "example.net"));
        assertEquals(gr, n.peerGracefulRestart());
        assertEquals(Capability.Role.RS_CLIENT, n.peerRole());
        assertEquals("r1", n.peerFqdn().hostName());
        assertNull(negotiate(settings().build()).peerRole());
    }

    @Test
    void rolePairs() {
        assertTrue(OpenNegotiation.rolesMatch(Capability.Role.RS, Capability.Role.RS_CLIENT));
        assertTrue(OpenNegotiation.rolesMatch(Capability.Role.PROVIDER, Capability.Role.CUSTOMER));
        assertTrue(OpenNegotiation.rolesMatch(Capability.Role.PEER, Capability.Role.PEER));
        assertFalse(OpenNegotiation.rolesMatch(Capability.Role.RS, Capability.Role.RS));
        assertFalse(OpenNegotiation.rolesMatch(Capability.Role.CUSTOMER, Capability.Role.PEER));
    }

    @Test
    void ourOpenAdvertisesTheConfiguredCapabilities() {
        PeerSettings s = settings().gracefulRestartTime(90).addPathReceive(Set.of(V4)).role(Capability.Role.RS)
                .fqdn("rs1.example.net").build();
        OpenMessage o = s.openMessage();
        assertEquals(2, o.capabilities(Capability.Multiprotocol.class).size());
        assertTrue(o.capability(Capability.RouteRefresh.class).isPresent());
        assertTrue(o.capability(Capability.EnhancedRouteRefresh.class).isPresent());
        assertTrue(o.capability(Capability.ExtendedMessage.class).isPresent());
        assertEquals(new Capability.GracefulRestart(0, 90, List.of()), o.capability(Capability.GracefulRestart.class).orElseThrow());
        assertEquals(List.of(new Capability.AddPath.Family(V4, 1)), o.capability(Capability.AddPath.class).orElseThrow().families());
        assertEquals(new Capability.Fqdn("rs1", "example.net"), o.capability(Capability.Fqdn.class).orElseThrow());
        assertFalse(settings().extendedMessages(false).build().openMessage().capability(Capability.ExtendedMessage.class).isPresent());
    }
}
