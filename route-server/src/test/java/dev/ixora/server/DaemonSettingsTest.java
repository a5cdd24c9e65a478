package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ixora.codec.AfiSafi;
import dev.ixora.conf.Addresses;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.fsm.PeerSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DaemonSettingsTest {
    private static InetSocketAddress socket(String s) {
        return Addresses.parseSocket(s);
    }

    @Test
    void wildcardIpv4IsDroppedBesideWildcardIpv6OnTheSamePort() {
        assertEquals(List.of(socket("[::]:179")),
                Daemon.listenAddresses(List.of(socket("0.0.0.0:179"), socket("[::]:179"))));
        assertEquals(List.of(socket("0.0.0.0:179"), socket("[::]:1179")),
                Daemon.listenAddresses(List.of(socket("0.0.0.0:179"), socket("[::]:1179"))));
        assertEquals(List.of(socket("198.18.0.1:179"), socket("[::]:179")),
                Daemon.listenAddresses(List.of(socket("198.18.0.1:179"), socket("[::]:179"))));
    }

    @Test
    void peerConfigBecomesPeerSettings() throws Exception {
        ConfigImage c = ConfigLoader.parse("t.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1, hold-time: 30}
                peers:
                  - {name: a, address: 198.18.1.1, asn: 64501}
                  - name: b
                    address: 2001:db8::2
                    asn: 64502
                    port: 1179
                    local-address: 2001:db8::1
                    passive: true
                    families: [ipv6-unicast]
                    hold-time: 0
                    connect-retry: 7
                    add-path: {receive: true}
                """);
        PeerSettings a = Daemon.settings(c.peers().get(0));
        assertEquals("a", a.name());
        assertEquals(Addresses.parse("198.18.1.1"), a.remoteAddress());
        assertEquals(179, a.remotePort());
        assertEquals(64501, a.remoteAsn());
        assertEquals(0, a.localAsn()); // 0: the speaker fills in its own
        assertEquals(30, a.holdTime());
        assertEquals(120, a.connectRetrySeconds());
        assertEquals(Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), a.families());
        assertNull(a.localAddress());
        assertEquals(Set.of(), a.addPathReceive());
        PeerSettings b = Daemon.settings(c.peers().get(1));
        assertEquals(1179, b.remotePort());
        assertEquals(Addresses.parse("2001:db8::1"), b.localAddress());
        assertEquals(true, b.passive());
        assertEquals(0, b.holdTime());
        assertEquals(7, b.connectRetrySeconds());
        assertEquals(Set.of(AfiSafi.IPV6_UNICAST), b.families());
        assertEquals(Set.of(AfiSafi.IPV6_UNICAST), b.addPathReceive());
        assertEquals(Set.of(), b.addPathSend());
    }
}
