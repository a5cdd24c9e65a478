package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.conf.PeerConfig;
import dev.ixora.fsm.NegotiatedSession;
import dev.ixora.fsm.Reason;
import dev.ixora.fsm.SessionEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Routing#received(PeerConfig, UpdateMessage, dev.ixora.fsm.BgpSession)}: a session's
 * UPDATEs are held until the end of the read ({@link Routing#readComplete}), every
 * {@link Routing#FLUSH_EVERY} UPDATEs, or the peer's next other event, and reach the RIB in the
 * order they were received either way.
 */
class RoutingInboundTest {
    private Routing routing;
    private PeerConfig bird1;

    @BeforeEach
    void start() throws Exception {
        ConfigImage config = ConfigLoader.parse("t.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1}
                peers:
                  - {name: bird1, address: 198.18.1.1, asn: 64501}
                """);
        routing = new Routing(config);
        bird1 = config.peer("bird1").orElseThrow();
        routing.peerUp(bird1, 0xC6120101L).join();
    }

    @AfterEach
    void stop() {
        routing.close();
    }

    static UpdateMessage announce(String... prefixes) {
        return UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64501),
                PathAttribute.NextHop.parse("198.18.1.1")), java.util.Arrays.stream(prefixes).map(Nlri::parse).toList());
    }

    static UpdateMessage withdraw(String... prefixes) {
        return new UpdateMessage(java.util.Arrays.stream(prefixes).map(Nlri::parse).toList(), List.of(), List.of());
    }

    long routes() {
        routing.sync();
        return routing.read(r -> r.routeCount(0));
    }

    @Test
    void theUpdatesOfOneReadGoToTheRibAtItsEnd() {
        routing.received(bird1, announce("203.0.113.0/24"), null);
        routing.received(bird1, announce("198.51.100.0/24", "192.0.2.0/24"), null);
        routing.received(bird1, withdraw("203.0.113.0/24"), null);
        assertEquals(0, routes(), "held until the read ends");
        routing.readComplete("bird1");
        assertEquals(2, routes(), "in order: the withdrawal after its announcement");
        routing.readComplete("bird1"); // nothing held: nothing happens
        routing.readComplete("nobody");
        assertEquals(2, routes());
    }

    @Test
    void aLongReadIsHandedOnEveryFlushEveryUpdates() {
        for (int i = 0; i < Routing.FLUSH_EVERY; i++) routing.received(bird1, announce("10.0." + i + ".0/24"), null);
        assertEquals(Routing.FLUSH_EVERY, routes(), "without waiting for the end of the read");
        routing.received(bird1, announce("10.1.0.0/24"), null);
        assertEquals(Routing.FLUSH_EVERY, routes());
        routing.readComplete("bird1");
        assertEquals(Routing.FLUSH_EVERY + 1, routes());
    }

    @Test
    void theHeldUpdatesGoBeforeThePeersOtherEvents() {
        routing.received(bird1, announce("203.0.113.0/24", "198.51.100.0/24"), null);
        routing.received(bird1, withdraw("198.51.100.0/24")).join(); // a caller's UPDATE: after those held
        assertEquals(1, routes());
        routing.received(bird1, UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST), null); // End-of-RIB: at once
        assertEquals(1, routes());

        routing.received(bird1, announce("192.0.2.0/24"), null);
        OpenMessage open = new OpenMessage(4, 64501, 90, 0xC6120101L, List.of());
        NegotiatedSession session = new NegotiatedSession(64501, 0xC6120101L, 90, 30, Set.of(AfiSafi.IPV4_UNICAST),
                true, Set.of(), Set.of(), false, true, false, null, null, null, open, open);
        routing.down(bird1, session, new SessionEvent.Down("bird1", Reason.TCP_FAILED, null)).join();
        routing.readComplete("bird1");
        assertEquals(0, routes(), "the announcement went before the session's end, which removed it");
    }
}
