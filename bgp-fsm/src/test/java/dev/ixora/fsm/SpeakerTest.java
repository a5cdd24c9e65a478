package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.BgpError;
import dev.ixora.codec.Capability;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.RouteRefreshMessage;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback (127.0.0.x, ports picked by the kernel), never port 179. */
class SpeakerTest {
    static {
        LeakCounter.install();
    }

    @org.junit.jupiter.api.AfterAll
    static void noLeaks() throws InterruptedException {
        int leaks = LeakCounter.collect();
        LeakCounter.assertInstalled();
        assertEquals(0, leaks, "ByteBuf leaks reported by Netty's paranoid detector");
    }
    static final long ID_A = 0x0A000001L; // 10.0.0.1
    static final long ID_B = 0x0A000002L; // 10.0.0.2

    final List<BgpSpeaker> speakers = new ArrayList<>();

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** Collects events; waits (bounded) for the first that matches. */
    static final class Events implements SessionListener {
        final LinkedBlockingQueue<SessionEvent> queue = new LinkedBlockingQueue<>();
        final List<SessionEvent> seen = new ArrayList<>();
        /** Events and the ends of reads ("read-complete PEER"), in the order the listener got them. */
        final List<Object> order = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(SessionEvent e) {
            order.add(e);
            queue.add(e);
        }

        @Override
        public void readComplete(String peer) {
            order.add("read-complete " + peer);
        }

        <T extends SessionEvent> T await(Class<T> kind, Predicate<T> p) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                SessionEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e == null) continue;
                seen.add(e);
                if (kind.isInstance(e) && p.test(kind.cast(e))) return kind.cast(e);
            }
            fail("no " + kind.getSimpleName() + " within 20 s; saw " + seen);
            return null;
        }

        <T extends SessionEvent> T await(Class<T> kind) throws InterruptedException {
            return await(kind, x -> true);
        }
    }

    BgpSpeaker speaker(long asn, long id, String listenIp, Events events) throws Exception {
        BgpSpeaker s = new BgpSpeaker(new SpeakerSettings(asn, id, List.of(new InetSocketAddress(ip(listenIp), 0)), 1), events);
        speakers.add(s);
        s.start();
        return s;
    }

    static int port(BgpSpeaker s) {
        return s.boundAddresses().get(0).getPort();
    }

    @AfterEach
    void stopAll() {
        speakers.forEach(s -> s.shutdown("test over"));
    }

    @Test
    void twoSpeakersEstablishNegotiateHoldTimeAndExchangeAnUpdate() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        b.addPeer(PeerSettings.builder("a", ip("127.0.0.1"), 65001).remotePort(port(a)).localAddress(ip("127.0.0.2"))
                .passive(true).holdTime(30).families(java.util.Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST)).build());
        BgpSession sa = a.addPeer(PeerSettings.builder("b", ip("127.0.0.2"), 65002).remotePort(port(b))
                .localAddress(ip("127.0.0.1")).holdTime(9).connectRetrySeconds(1).build());

        SessionEvent.Established upA = ea.await(SessionEvent.Established.class);
        SessionEvent.Established upB = eb.await(SessionEvent.Established.class);
        assertEquals("b", upA.peer());
        // RFC 4271 section 4.2: the smaller hold time, keepalive a third of it.
        assertEquals(9, upA.session().holdTime());
        assertEquals(3, upA.session().keepaliveTime());
        assertEquals(9, upB.session().holdTime());
        assertEquals(65002, upA.session().peerAsn());
        assertEquals(ID_A, upB.session().peerRouterId());
        assertEquals(java.util.Set.of(AfiSafi.IPV4_UNICAST), upB.session().families());
        assertTrue(upA.session().extendedMessages());
        assertTrue(upA.session().enhancedRouteRefresh());
        assertEquals(SessionState.ESTABLISHED, sa.state());
        assertEquals(ip("127.0.0.1"), sa.localAddress().getAddress());
        assertEquals(port(b), sa.remoteAddress().getPort());

        UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
        assertTrue(sa.send(eor));
        SessionEvent.UpdateReceived got = eb.await(SessionEvent.UpdateReceived.class);
        assertEquals("a", got.peer());
        assertEquals(eor, got.update());

        assertTrue(b.session("a").send(new RouteRefreshMessage(AfiSafi.IPV4_UNICAST, RouteRefreshMessage.BEGIN_OF_RIB)));
        SessionEvent.RouteRefreshReceived rr = ea.await(SessionEvent.RouteRefreshReceived.class);
        assertEquals(RouteRefreshMessage.BEGIN_OF_RIB, rr.subtype());
        assertTrue(sa.isWritable());
    }

    @Test
    void shutdownSendsAdministrativeShutdownWithTheMessage() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        b.addPeer(PeerSettings.builder("a", ip("127.0.0.1"), 65001).remotePort(port(a)).passive(true).build());
        a.addPeer(PeerSettings.builder("b", ip("127.0.0.2"), 65002).remotePort(port(b)).localAddress(ip("127.0.0.1"))
                .connectRetrySeconds(1).build());
        eb.await(SessionEvent.Established.class);
        ea.await(SessionEvent.Established.class); // a may still be in OpenConfirm: then no Down (flaky under load)
        a.shutdown("maintenance window");
        SessionEvent.Down down = eb.await(SessionEvent.Down.class);
        assertEquals(Reason.NOTIFICATION_RECEIVED, down.reason());
        assertEquals(BgpError.CEASE, down.notification().code());
        assertEquals(NotificationMessage.CEASE_ADMIN_SHUTDOWN, down.notification().subcode());
        assertEquals("maintenance window", down.notification().shutdownMessage().orElseThrow());
        SessionEvent.Down ownDown = ea.await(SessionEvent.Down.class);
        assertEquals(Reason.SHUTDOWN, ownDown.reason());
        SessionStats st = b.session("a").stats();
        assertEquals(Reason.NOTIFICATION_RECEIVED, st.lastDownReason());
        assertEquals(0, st.establishedSinceMillis());
        assertEquals(down.notification(), st.lastNotification());
    }

    @Test
    void garbageResetsTheSessionWithTheRightNotification() throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        a.addPeer(PeerSettings.builder("raw", ip("127.0.0.3"), 65003).passive(true).build());
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.ACTIVE);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
            s.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
            RawPeer peer = new RawPeer(s);
            OpenMessage open = peer.read(OpenMessage.class);
            assertEquals(65001, open.asn());
            byte[] garbage = new byte[19];
            java.util.Arrays.fill(garbage, (byte) 0xFF);
            garbage[3] = 0; // RFC 4271 section 6.1: marker not all ones
            garbage[17] = 19;
            garbage[18] = 4;
            peer.sendRaw(garbage);
            NotificationMessage n = peer.read(NotificationMessage.class);
            assertEquals(BgpError.MESSAGE_HEADER_ERROR, n.code());
            assertEquals(1, n.subcode(), "Connection Not Synchronized");
            assertTrue(peer.closedByPeer());
        }
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.IDLE && e.reason() == Reason.HEADER_ERROR);
    }

    @Test
    void wrongPeerAsIsRejectedWithBadPeerAs() throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        a.addPeer(PeerSettings.builder("raw", ip("127.0.0.3"), 65003).passive(true).build());
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.ACTIVE);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
            s.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
            RawPeer peer = new RawPeer(s);
            peer.read(OpenMessage.class);
            peer.send(new OpenMessage(4, 65004, 90, ID_B, List.of(new Capability.FourOctetAs(65004))));
            NotificationMessage n = peer.read(NotificationMessage.class);
            assertEquals(BgpError.OPEN_MESSAGE_ERROR, n.code());
            assertEquals(OpenNegotiation.BAD_PEER_AS, n.subcode());
            assertTrue(peer.closedByPeer());
        }
    }

    @Test
    void unknownRemoteAddressIsRefused() throws Exception {
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", new Events());
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(ip("127.0.0.9"), 0));
            s.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
            assertTrue(new RawPeer(s).closedByPeer());
        }
    }

    /**
     * RFC 4271 section 6.8 with a scripted peer: the speaker connects out (connection 1), the peer
     * connects in (connection 2), the peer's OPEN on connection 2 decides.
     */
    void collision(long peerId, boolean outgoingSurvives) throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_B, "127.0.0.1", ea);
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(ip("127.0.0.4"), 0));
            BgpSession sa = a.addPeer(PeerSettings.builder("raw", ip("127.0.0.4"), 65004)
                    .remotePort(listener.getLocalPort()).localAddress(ip("127.0.0.1")).build());
            OpenMessage peerOpen = new OpenMessage(4, 65004, 90, peerId, List.of(new Capability.FourOctetAs(65004)));
            try (RawPeer out = new RawPeer(listener.accept()); Socket s2 = new Socket()) {
                out.read(OpenMessage.class); // the speaker is in OpenSent on connection 1
                s2.bind(new InetSocketAddress(ip("127.0.0.4"), 0));
                s2.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
                RawPeer in = new RawPeer(s2);
                in.read(OpenMessage.class); // second connection, also OpenSent
                in.send(peerOpen);
                RawPeer loser = outgoingSurvives ? in : out;
                RawPeer winner = outgoingSurvives ? out : in;
                NotificationMessage n = loser.read(NotificationMessage.class);
                assertEquals(NotificationMessage.cease(NotificationMessage.CEASE_CONNECTION_COLLISION), n);
                assertTrue(loser.closedByPeer());
                if (outgoingSurvives) winner.send(peerOpen);
                winner.read(KeepaliveMessage.class);
                winner.send(KeepaliveMessage.INSTANCE);
                ea.await(SessionEvent.Established.class);
                assertEquals(winner.socket.getLocalPort(), sa.remoteAddress().getPort());
                assertEquals(SessionState.ESTABLISHED, sa.state());
            }
        }
    }

    @Test
    void collisionKeepsThePeersConnectionWhenItsIdentifierIsHigher() throws Exception {
        collision(0x0A0000FFL, false);
    }

    @Test
    void collisionKeepsOurConnectionWhenOurIdentifierIsHigher() throws Exception {
        collision(0x01000001L, true);
    }

    @Test
    void bothSidesActiveEndUpWithOneSession() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        BgpSession sb = b.addPeer(PeerSettings.builder("a", ip("127.0.0.1"), 65001).remotePort(port(a))
                .localAddress(ip("127.0.0.2")).connectRetrySeconds(1).build());
        BgpSession sa = a.addPeer(PeerSettings.builder("b", ip("127.0.0.2"), 65002).remotePort(port(b))
                .localAddress(ip("127.0.0.1")).connectRetrySeconds(1).build());
        ea.await(SessionEvent.Established.class);
        eb.await(SessionEvent.Established.class);
        // Both ends talk about the same TCP connection.
        assertEquals(sa.localAddress(), sb.remoteAddress());
        assertEquals(sa.remoteAddress(), sb.localAddress());
        UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
        assertTrue(sb.send(eor));
        assertEquals(eor, ea.await(SessionEvent.UpdateReceived.class).update());
    }

    @Test
    void removePeerSendsPeerDeconfigured() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        b.addPeer(PeerSettings.builder("a", ip("127.0.0.1"), 65001).remotePort(port(a)).passive(true).build());
        a.addPeer(PeerSettings.builder("b", ip("127.0.0.2"), 65002).remotePort(port(b)).localAddress(ip("127.0.0.1"))
                .connectRetrySeconds(1).build());
        eb.await(SessionEvent.Established.class);
        a.removePeer("b", "bye");
        SessionEvent.Down down = eb.await(SessionEvent.Down.class);
        assertEquals(NotificationMessage.CEASE_PEER_DECONFIGURED, down.notification().subcode());
        assertNull(a.session("b"));
    }

    static UpdateMessage announce(int count, long pathId) {
        List<Nlri> nlri = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nlri.add(new Nlri(Prefix.ipv4(0x0A000000 | (i << 8), 24), pathId));
        }
        return UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(65001),
                PathAttribute.NextHop.parse("198.18.0.1")), nlri);
    }

    /** Two sessions A -> B with the given settings on both; returns A's session once B is up. */
    BgpSession pair(Events ea, Events eb, java.util.function.UnaryOperator<PeerSettings.Builder> both) throws Exception {
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        b.addPeer(both.apply(PeerSettings.builder("a", ip("127.0.0.1"), 65001).remotePort(port(a)).passive(true)).build());
        BgpSession sa = a.addPeer(both.apply(PeerSettings.builder("b", ip("127.0.0.2"), 65002).remotePort(port(b))
                .localAddress(ip("127.0.0.1")).connectRetrySeconds(1)).build());
        ea.await(SessionEvent.Established.class);
        eb.await(SessionEvent.Established.class);
        return sa;
    }

    @Test
    void realUpdateArrivesIntact() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSession sa = pair(ea, eb, x -> x);
        UpdateMessage u = announce(3, Nlri.NO_PATH_ID);
        assertTrue(sa.send(u));
        assertEquals(u, eb.await(SessionEvent.UpdateReceived.class).update());
        SessionStats st = sa.stats();
        assertEquals(1, st.updatesSent());
        assertEquals(1, st.establishedTransitions());
        assertTrue(st.establishedSinceMillis() > 0);
        assertTrue(st.messagesSent() >= 3, "OPEN, KEEPALIVE, UPDATE: " + st);
        assertTrue(st.messagesReceived() >= 2, "OPEN, KEEPALIVE: " + st);
    }

    @Test
    void negotiatedAddPathAppliesToEncodeAndDecode() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSession sa = pair(ea, eb, x -> x.addPathSend(java.util.Set.of(AfiSafi.IPV4_UNICAST))
                .addPathReceive(java.util.Set.of(AfiSafi.IPV4_UNICAST)));
        assertEquals(java.util.Set.of(AfiSafi.IPV4_UNICAST), sa.negotiated().addPathSend());
        UpdateMessage u = announce(2, 7);
        assertTrue(sa.send(u));
        UpdateMessage got = eb.await(SessionEvent.UpdateReceived.class).update();
        assertEquals(7, got.nlri().get(0).pathId());
        assertEquals(u, got);
    }

    @Test
    void extendedMessagesAllowUpdatesAbove4096Bytes() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSession sa = pair(ea, eb, x -> x);
        assertTrue(sa.negotiated().extendedMessages());
        UpdateMessage big = announce(1500, Nlri.NO_PATH_ID); // about 6000 bytes
        assertTrue(sa.send(big));
        assertEquals(1500, eb.await(SessionEvent.UpdateReceived.class).update().nlri().size());
        assertEquals(SessionState.ESTABLISHED, sa.state());
    }

    @Test
    void withoutExtendedMessagesABigUpdateCannotBeSent() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSession sa = pair(ea, eb, x -> x.extendedMessages(false));
        assertFalse(sa.negotiated().extendedMessages());
        assertThrows(IllegalArgumentException.class, () -> sa.send(announce(1500, Nlri.NO_PATH_ID)));
    }

    @Test
    void writeEncodedReleasesWhenNotEstablished() throws Exception {
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", new Events());
        BgpSession s = a.addPeer(PeerSettings.builder("idle", ip("127.0.0.5"), 65005).passive(true).build());
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(19).writeZero(19);
        assertFalse(s.writeEncoded(buf));
        assertEquals(0, buf.refCnt());
        assertNull(s.negotiated());
        assertNull(s.localAddress());
    }

    @Test
    void holdTimerExpirySendsHoldTimerExpired() throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        a.addPeer(PeerSettings.builder("raw", ip("127.0.0.3"), 65003).passive(true).holdTime(3).build());
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.ACTIVE);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
            s.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
            RawPeer peer = new RawPeer(s);
            peer.read(OpenMessage.class);
            peer.send(new OpenMessage(4, 65003, 3, ID_B, List.of(new Capability.FourOctetAs(65003))));
            peer.read(KeepaliveMessage.class);
            peer.send(KeepaliveMessage.INSTANCE);
            ea.await(SessionEvent.Established.class);
            // Then silence: the speaker keeps sending keepalives (every second) until the hold timer fires.
            NotificationMessage n;
            do {
                n = peer.read() instanceof NotificationMessage x ? x : null;
            } while (n == null);
            assertEquals(new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, 0), n);
            assertTrue(peer.closedByPeer());
        }
        SessionEvent.Down down = ea.await(SessionEvent.Down.class);
        assertEquals(Reason.HOLD_TIMER_EXPIRED, down.reason());
    }

    @Test
    void ipv6SessionOverLoopback() throws Exception {
        Events ea = new Events();
        Events eb = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "::1", ea);
        BgpSpeaker b = speaker(65002, ID_B, "127.0.0.2", eb);
        // a listens on ::1 and waits; b connects to it over IPv6.
        b.addPeer(PeerSettings.builder("a", ip("::1"), 65001).remotePort(port(a)).connectRetrySeconds(1)
                .families(java.util.Set.of(AfiSafi.IPV6_UNICAST)).build());
        a.addPeer(PeerSettings.builder("b", ip("::1"), 65002).passive(true)
                .families(java.util.Set.of(AfiSafi.IPV6_UNICAST)).build());
        SessionEvent.Established up = ea.await(SessionEvent.Established.class);
        assertEquals(java.util.Set.of(AfiSafi.IPV6_UNICAST), up.session().families());
        assertEquals(ip("::1"), a.session("b").localAddress().getAddress());
    }

    @Test
    void incomingConnectionsPreferThePeerBoundToTheirLocalAddress() throws Exception {
        BgpSpeaker a = new BgpSpeaker(new SpeakerSettings(65001, ID_A, List.of(), 1), new Events());
        speakers.add(a);
        a.addPeer(PeerSettings.builder("any", ip("127.0.0.3"), 65003).build());
        a.addPeer(PeerSettings.builder("bound", ip("127.0.0.3"), 65003).localAddress(ip("127.0.0.1")).build());
        InetSocketAddress remote = new InetSocketAddress(ip("127.0.0.3"), 40000);
        assertEquals("bound", a.match(remote, new InetSocketAddress(ip("127.0.0.1"), 179)).name());
        assertEquals("any", a.match(remote, new InetSocketAddress(ip("127.0.0.2"), 179)).name());
        assertEquals("any", a.match(new InetSocketAddress(ip("::ffff:127.0.0.3"), 1), new InetSocketAddress(ip("::1"), 179)).name());
        assertNull(a.match(new InetSocketAddress(ip("127.0.0.4"), 1), new InetSocketAddress(ip("127.0.0.1"), 179)));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 3};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertInstanceOf(java.net.Inet6Address.class, v6);
        assertEquals(ip("127.0.0.3"), BgpSpeaker.unmap(v6));
    }

    /** A raw peer from 127.0.0.3 (AS 65003) brought to Established with speaker {@code a}. */
    static RawPeer establishRaw(BgpSpeaker a, Events ea, List<Capability> caps) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
        s.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
        RawPeer peer = new RawPeer(s);
        peer.read(OpenMessage.class);
        List<Capability> all = new ArrayList<>(caps);
        all.add(new Capability.FourOctetAs(65003));
        peer.send(new OpenMessage(4, 65003, 90, ID_B, all));
        peer.read(KeepaliveMessage.class);
        peer.send(KeepaliveMessage.INSTANCE);
        ea.await(SessionEvent.Established.class);
        return peer;
    }

    @Test
    void gracefulRestartPeerReconnectingWhileEstablishedReplacesTheSessionWithoutNotification() throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSession sa = a.addPeer(PeerSettings.builder("raw", ip("127.0.0.3"), 65003).passive(true)
                .gracefulRestartTime(0).build());
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.ACTIVE);
        Capability.GracefulRestart gr = new Capability.GracefulRestart(0, 120,
                List.of(new Capability.GracefulRestart.Family(AfiSafi.IPV4_UNICAST, true)));
        try (RawPeer old = establishRaw(a, ea, List.of(gr))) {
            int oldPort = sa.remoteAddress().getPort();
            // The peer restarted: a new connection while our session is still Established.
            try (Socket s2 = new Socket()) {
                s2.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
                s2.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
                RawPeer fresh = new RawPeer(s2);
                // RFC 4724 section 4.2: the old connection closes with no NOTIFICATION on it.
                assertTrue(old.closedByPeer(), "old connection closed, nothing sent on it");
                SessionEvent.Down down = ea.await(SessionEvent.Down.class);
                assertEquals(Reason.PEER_RESTARTED, down.reason());
                assertNull(down.notification(), "no NOTIFICATION: the routes stay, stale");
                assertEquals(Reason.PEER_RESTARTED, sa.stats().lastDownReason());
                // The new connection is accepted and comes up.
                fresh.read(OpenMessage.class);
                fresh.send(new OpenMessage(4, 65003, 90, ID_B, List.of(gr, new Capability.FourOctetAs(65003))));
                fresh.read(KeepaliveMessage.class);
                fresh.send(KeepaliveMessage.INSTANCE);
                SessionEvent.Established up = ea.await(SessionEvent.Established.class);
                assertEquals(gr, up.session().peerGracefulRestart());
                assertEquals(SessionState.ESTABLISHED, sa.state());
                assertEquals(s2.getLocalPort(), sa.remoteAddress().getPort());
                assertNotEquals(oldPort, sa.remoteAddress().getPort());
                assertEquals(2, sa.stats().establishedTransitions());
                UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
                assertTrue(sa.send(eor));
                assertEquals(eor, fresh.read(UpdateMessage.class));
            }
        }
    }

    @Test
    void withoutGracefulRestartANewConnectionWhileEstablishedIsRefusedAndTheSessionStays() throws Exception {
        Events ea = new Events();
        BgpSpeaker a = speaker(65001, ID_A, "127.0.0.1", ea);
        BgpSession sa = a.addPeer(PeerSettings.builder("raw", ip("127.0.0.3"), 65003).passive(true)
                .gracefulRestartTime(0).build());
        ea.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.ACTIVE);
        try (RawPeer old = establishRaw(a, ea, List.of()); Socket s2 = new Socket()) {
            s2.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
            s2.connect(new InetSocketAddress(ip("127.0.0.1"), port(a)));
            RawPeer fresh = new RawPeer(s2);
            // RFC 4271 section 6.8: the Established connection wins; the new one gets Cease/7.
            assertEquals(NotificationMessage.cease(NotificationMessage.CEASE_CONNECTION_COLLISION),
                    fresh.read(NotificationMessage.class));
            assertTrue(fresh.closedByPeer());
            // The old session is untouched: it still carries an UPDATE.
            UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
            assertTrue(sa.send(eor));
            assertEquals(eor, old.read(UpdateMessage.class));
            assertEquals(SessionState.ESTABLISHED, sa.state());
            assertEquals(1, sa.stats().establishedTransitions());
        }
    }

    @Test
    void localPortRestrictsIncomingConnectionsToThatListenPort() throws Exception {
        BgpSpeaker a = new BgpSpeaker(new SpeakerSettings(65001, ID_A, List.of(), 1), new Events());
        speakers.add(a);
        a.addPeer(PeerSettings.builder("p1179", ip("127.0.0.3"), 65003).localPort(1179).build());
        InetSocketAddress remote = new InetSocketAddress(ip("127.0.0.3"), 40000);
        assertEquals("p1179", a.match(remote, new InetSocketAddress(ip("127.0.0.1"), 1179)).name());
        assertNull(a.match(remote, new InetSocketAddress(ip("127.0.0.1"), 179)));
    }
}
