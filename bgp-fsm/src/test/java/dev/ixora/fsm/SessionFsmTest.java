package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.BgpError;
import dev.ixora.codec.Capability;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.fsm.FsmAction.*;
import dev.ixora.fsm.FsmEvent.*;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SessionFsmTest {
    static final long LOCAL_ID = 0xC612_0001L; // 198.18.0.1
    static final long PEER_ID = 0xC612_0002L;

    static PeerSettings.Builder settings() {
        return PeerSettings.builder("p1", InetAddress.getLoopbackAddress(), 65002)
                .localAsn(65001).routerId(LOCAL_ID).holdTime(90).connectRetrySeconds(30);
    }

    static OpenMessage peerOpen(int hold, Capability... caps) {
        List<Capability> list = new ArrayList<>(List.of(caps));
        list.add(new Capability.FourOctetAs(65002));
        return new OpenMessage(4, 65002, hold, PEER_ID, list);
    }

    static <T extends FsmAction> List<T> of(List<FsmAction> actions, Class<T> kind) {
        return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static NotificationMessage sent(List<FsmAction> actions) {
        List<SendNotification> n = of(actions, SendNotification.class);
        assertEquals(1, n.size(), "one NOTIFICATION in " + actions);
        return n.get(0).notification();
    }

    /** Brings a fresh FSM to the given state through the normal path. */
    static FakeTimers at(SessionState target, PeerSettings s, OpenMessage open) {
        FakeTimers t = new FakeTimers(s);
        t.fire(new ManualStart());
        if (target == SessionState.CONNECT) return t;
        t.fire(new TcpCrAcked());
        if (target == SessionState.OPEN_SENT) return t;
        t.fire(new BgpOpen(open));
        if (target == SessionState.OPEN_CONFIRM) return t;
        t.fire(new KeepAliveMsg());
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
        return t;
    }

    static FakeTimers at(SessionState target) {
        return at(target, settings().build(), peerOpen(30));
    }

    @Test
    void manualStartConnects() {
        FakeTimers t = new FakeTimers(settings().build());
        List<FsmAction> a = t.fire(new ManualStart());
        assertEquals(SessionState.CONNECT, t.fsm.state());
        assertTrue(a.contains(new Connect()));
        assertTrue(a.contains(new StartTimer(FsmTimer.CONNECT_RETRY, 30)));
        assertTrue(a.contains(new StateChanged(SessionState.IDLE, SessionState.CONNECT, Reason.MANUAL_START)));
    }

    @Test
    void happyPathNegotiatesHoldAndComesUp() {
        FakeTimers t = new FakeTimers(settings().build());
        t.fire(new ManualStart());
        List<FsmAction> a = t.fire(new TcpCrAcked());
        assertEquals(SessionState.OPEN_SENT, t.fsm.state());
        assertEquals(1, of(a, SendOpen.class).size());
        // RFC 4271 section 8.2.2: a large hold timer (4 minutes) while waiting for the OPEN.
        assertTrue(a.contains(new StartTimer(FsmTimer.HOLD, 240)));
        assertTrue(a.contains(new StopTimer(FsmTimer.CONNECT_RETRY)));

        a = t.fire(new BgpOpen(peerOpen(30)));
        assertEquals(SessionState.OPEN_CONFIRM, t.fsm.state());
        assertTrue(a.contains(new SendKeepalive()));
        assertTrue(a.contains(new StartTimer(FsmTimer.HOLD, 30)));
        assertTrue(a.contains(new StartTimer(FsmTimer.KEEPALIVE, 10)));

        a = t.fire(new KeepAliveMsg());
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
        NegotiatedSession n = of(a, SessionUp.class).get(0).session();
        assertEquals(30, n.holdTime());
        assertEquals(10, n.keepaliveTime());
        assertEquals(65002, n.peerAsn());
        assertEquals(PEER_ID, n.peerRouterId());
        assertEquals(Set.of(AfiSafi.IPV4_UNICAST), n.families());
        assertTrue(n.fourOctetAs());
        assertFalse(n.extendedMessages());
    }

    @Test
    void ourHoldTimeWinsWhenSmaller() {
        FakeTimers t = at(SessionState.OPEN_CONFIRM, settings().holdTime(9).build(), peerOpen(180));
        assertEquals(9, t.fsm.negotiated().holdTime());
        assertEquals(3, t.fsm.negotiated().keepaliveTime());
    }

    @Test
    void zeroHoldTimeMeansNoKeepalivesAndNoHoldTimer() {
        FakeTimers t = at(SessionState.ESTABLISHED, settings().build(), peerOpen(0));
        assertEquals(0, t.fsm.negotiated().holdTime());
        assertFalse(t.armed(FsmTimer.HOLD));
        assertFalse(t.armed(FsmTimer.KEEPALIVE));
        List<FsmAction> a = t.advance(3600);
        assertTrue(a.isEmpty(), "nothing happens in an hour: " + a);
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
    }

    @Test
    void keepalivesEveryThirdOfHoldAndReceivedMessagesRestartHold() {
        FakeTimers t = at(SessionState.ESTABLISHED);
        List<FsmAction> a = t.advance(25);
        assertEquals(2, of(a, SendKeepalive.class).size(), "keepalives at 10 and 20 s");
        t.fire(new KeepAliveMsg()); // t=25: hold restarts, due at 55
        a = t.advance(29);
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
        t.fire(new UpdateMsg(KeepaliveMessage.INSTANCE)); // any UPDATE-shaped message restarts hold too
        a = t.advance(29);
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
        a = t.advance(2);
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertEquals(new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, 0), sent(a));
        assertEquals(Reason.HOLD_TIMER_EXPIRED, of(a, SessionDown.class).get(0).reason());
        assertTrue(a.contains(new DropConnection()));
    }

    @Test
    void holdTimerExpiryRestartsAfterIdleHold() {
        FakeTimers t = at(SessionState.OPEN_SENT);
        List<FsmAction> a = t.advance(240);
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertEquals(4, sent(a).code());
        assertTrue(a.contains(new StartTimer(FsmTimer.IDLE_HOLD, 5)));
        a = t.advance(5);
        assertEquals(SessionState.CONNECT, t.fsm.state());
        assertTrue(a.contains(new Connect()));
        assertTrue(a.contains(new StateChanged(SessionState.IDLE, SessionState.CONNECT, Reason.IDLE_HOLD_EXPIRED)));
    }

    @Test
    void updatesAreDeliveredOnlyInEstablished() {
        FakeTimers t = at(SessionState.ESTABLISHED);
        List<FsmAction> a = t.fire(new UpdateMsg(KeepaliveMessage.INSTANCE));
        assertEquals(List.of(new Deliver(KeepaliveMessage.INSTANCE)), of(a, Deliver.class));
        t = at(SessionState.OPEN_CONFIRM);
        a = t.fire(new UpdateMsg(KeepaliveMessage.INSTANCE));
        assertTrue(of(a, Deliver.class).isEmpty());
        assertEquals(new NotificationMessage(BgpError.FSM_ERROR, 2), sent(a));
    }

    /**
     * The driver's fast path for event 27 ({@link SessionFsm#updateReceived}) must leave the FSM as
     * {@code handle(new UpdateMsg(m))} does and ask for the same actions: in Established a HoldTimer
     * restart with the negotiated hold time (none when it is 0), then delivery; in every other
     * state it does nothing and sends the caller to handle(), which answers with the FSM error.
     */
    @Test
    void theUpdateFastPathDoesWhatEvent27DoesInEstablished() {
        FakeTimers slow = at(SessionState.ESTABLISHED);
        FakeTimers fast = at(SessionState.ESTABLISHED);
        List<FsmAction> a = slow.fire(new UpdateMsg(KeepaliveMessage.INSTANCE));
        assertEquals(List.of(new StartTimer(FsmTimer.HOLD, 30), new Deliver(KeepaliveMessage.INSTANCE)), a);
        assertEquals(30, fast.fsm.updateReceived());
        assertEquals(SessionState.ESTABLISHED, fast.fsm.state());
        for (FsmTimer timer : FsmTimer.values()) assertEquals(slow.fsm.isRunning(timer), fast.fsm.isRunning(timer), timer.name());
        // and the FSM goes on the same way afterwards: the HoldTimer expiry is still an error
        fast.apply(List.of(new StartTimer(FsmTimer.HOLD, 30)));
        assertEquals(Reason.HOLD_TIMER_EXPIRED, of(fast.advance(31), SessionDown.class).get(0).reason());

        FakeTimers noHold = at(SessionState.ESTABLISHED, settings().build(), peerOpen(0));
        assertEquals(0, noHold.fsm.updateReceived(), "hold time 0: no HoldTimer to restart");
        assertFalse(noHold.fsm.isRunning(FsmTimer.HOLD));
        assertEquals(List.of(new Deliver(KeepaliveMessage.INSTANCE)), noHold.fire(new UpdateMsg(KeepaliveMessage.INSTANCE)));

        for (SessionState s : List.of(SessionState.CONNECT, SessionState.OPEN_SENT, SessionState.OPEN_CONFIRM)) {
            FakeTimers t = at(s);
            assertEquals(-1, t.fsm.updateReceived(), s.name());
            assertEquals(s, t.fsm.state(), "nothing changed in " + s);
        }
        FakeTimers idle = new FakeTimers(settings().build());
        assertEquals(-1, idle.fsm.updateReceived());
    }

    static Stream<Arguments> unexpectedEvents() {
        return Stream.of(
                Arguments.of(SessionState.OPEN_SENT, new KeepAliveMsg(), 1),
                Arguments.of(SessionState.OPEN_SENT, new UpdateMsg(KeepaliveMessage.INSTANCE), 1),
                Arguments.of(SessionState.OPEN_SENT, new TimerExpired(FsmTimer.KEEPALIVE), 1),
                Arguments.of(SessionState.OPEN_CONFIRM, new BgpOpen(peerOpen(30)), 2),
                Arguments.of(SessionState.OPEN_CONFIRM, new UpdateMsg(KeepaliveMessage.INSTANCE), 2),
                Arguments.of(SessionState.OPEN_CONFIRM, new TimerExpired(FsmTimer.CONNECT_RETRY), 2),
                Arguments.of(SessionState.ESTABLISHED, new BgpOpen(peerOpen(30)), 3),
                Arguments.of(SessionState.ESTABLISHED, new TimerExpired(FsmTimer.DELAY_OPEN), 3));
    }

    @ParameterizedTest(name = "{1} in {0} -> FSM Error/{2}")
    @MethodSource("unexpectedEvents")
    void unexpectedEventsAreFsmErrorsWithTheStateSubcode(SessionState state, FsmEvent event, int subcode) {
        FakeTimers t = at(state);
        List<FsmAction> a = t.fire(event);
        // RFC 6608 section 4: subcode 1 OpenSent, 2 OpenConfirm, 3 Established.
        assertEquals(new NotificationMessage(BgpError.FSM_ERROR, subcode), sent(a));
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertTrue(a.contains(new DropConnection()));
        assertTrue(t.armed(FsmTimer.IDLE_HOLD));
        assertFalse(t.armed(FsmTimer.HOLD));
        assertFalse(t.armed(FsmTimer.KEEPALIVE));
    }

    static Stream<Arguments> transitions() {
        BgpError header = BgpError.reset(1, 1, null, "marker");
        NotificationMessage cease = NotificationMessage.cease(2, "bye");
        return Stream.of(
                // state, event, next state, restart scheduled
                Arguments.of(SessionState.CONNECT, new TcpConnectionFails(), SessionState.ACTIVE, false),
                Arguments.of(SessionState.CONNECT, new TcpConnectionConfirmed(), SessionState.OPEN_SENT, false),
                Arguments.of(SessionState.CONNECT, new BgpHeaderErr(header), SessionState.IDLE, true),
                Arguments.of(SessionState.CONNECT, new ManualStop(""), SessionState.IDLE, false),
                Arguments.of(SessionState.CONNECT, new ManualStart(), SessionState.CONNECT, false),
                Arguments.of(SessionState.OPEN_SENT, new TcpConnectionFails(), SessionState.ACTIVE, false),
                Arguments.of(SessionState.OPEN_SENT, new TcpConnectionConfirmed(), SessionState.OPEN_SENT, false),
                Arguments.of(SessionState.OPEN_SENT, new NotifMsg(cease), SessionState.IDLE, true),
                Arguments.of(SessionState.OPEN_SENT, new NotifMsgVerErr(new NotificationMessage(2, 1)), SessionState.IDLE, false),
                Arguments.of(SessionState.OPEN_SENT, new BgpHeaderErr(header), SessionState.IDLE, true),
                Arguments.of(SessionState.OPEN_CONFIRM, new TcpConnectionFails(), SessionState.IDLE, true),
                Arguments.of(SessionState.OPEN_CONFIRM, new KeepAliveMsg(), SessionState.ESTABLISHED, false),
                Arguments.of(SessionState.OPEN_CONFIRM, new OpenCollisionDump(), SessionState.IDLE, false),
                Arguments.of(SessionState.OPEN_CONFIRM, new TimerExpired(FsmTimer.KEEPALIVE), SessionState.OPEN_CONFIRM, false),
                Arguments.of(SessionState.ESTABLISHED, new NotifMsg(cease), SessionState.IDLE, true),
                Arguments.of(SessionState.ESTABLISHED, new TcpConnectionFails(), SessionState.IDLE, true),
                Arguments.of(SessionState.ESTABLISHED, new UpdateMsgErr(BgpError.reset(3, 1, null, "x")), SessionState.IDLE, true),
                Arguments.of(SessionState.ESTABLISHED, new ManualStop("maint"), SessionState.IDLE, false),
                Arguments.of(SessionState.ESTABLISHED, new TcpCrAcked(), SessionState.ESTABLISHED, false));
    }

    @ParameterizedTest(name = "{1} in {0} -> {2}")
    @MethodSource("transitions")
    void transitionTable(SessionState from, FsmEvent event, SessionState to, boolean restartScheduled) {
        FakeTimers t = at(from);
        t.fire(event);
        assertEquals(to, t.fsm.state());
        assertEquals(restartScheduled, t.armed(FsmTimer.IDLE_HOLD));
        if (to == SessionState.IDLE) {
            assertFalse(t.armed(FsmTimer.HOLD));
            assertFalse(t.armed(FsmTimer.CONNECT_RETRY));
        }
    }

    @Test
    void failedConnectRetriesOnConnectRetryTimer() {
        FakeTimers t = at(SessionState.CONNECT);
        t.fire(new TcpConnectionFails());
        assertEquals(SessionState.ACTIVE, t.fsm.state());
        List<FsmAction> a = t.advance(30);
        assertEquals(SessionState.CONNECT, t.fsm.state());
        assertTrue(a.contains(new Connect()));
        assertTrue(t.armed(FsmTimer.CONNECT_RETRY));
    }

    @Test
    void passivePeerWaitsInActiveWithoutTimers() {
        FakeTimers t = new FakeTimers(settings().passive(true).build());
        List<FsmAction> a = t.fire(new ManualStart());
        assertEquals(SessionState.ACTIVE, t.fsm.state());
        assertTrue(of(a, Connect.class).isEmpty());
        assertTrue(t.advance(1000).isEmpty());
        t.fire(new TcpConnectionConfirmed());
        assertEquals(SessionState.OPEN_SENT, t.fsm.state());
    }

    @Test
    void manualStartPassiveDoesNotConnect() {
        FakeTimers t = new FakeTimers(settings().build());
        List<FsmAction> a = t.fire(new ManualStartPassive());
        assertEquals(SessionState.ACTIVE, t.fsm.state());
        assertTrue(of(a, Connect.class).isEmpty());
    }

    @Test
    void manualStopInEstablishedSendsAdministrativeShutdownAndStaysDown() {
        FakeTimers t = at(SessionState.ESTABLISHED);
        List<FsmAction> a = t.fire(new ManualStop("maintenance"));
        NotificationMessage n = sent(a);
        assertEquals(NotificationMessage.cease(2, "maintenance"), n);
        assertEquals("maintenance", n.shutdownMessage().orElseThrow());
        assertEquals(new SessionDown(Reason.MANUAL_STOP, n), of(a, SessionDown.class).get(0));
        assertTrue(t.advance(3600).isEmpty(), "no automatic restart after ManualStop");
        assertEquals(SessionState.IDLE, t.fsm.state());
        t.fire(new ManualStart());
        assertEquals(SessionState.CONNECT, t.fsm.state());
    }

    @Test
    void actionOrderSendsNotificationBeforeDropping() {
        FakeTimers t = at(SessionState.ESTABLISHED);
        List<FsmAction> a = t.fire(new ManualStop(""));
        int notif = indexOf(a, SendNotification.class);
        int drop = indexOf(a, DropConnection.class);
        assertTrue(notif >= 0 && notif < drop, a.toString());
    }

    private static int indexOf(List<FsmAction> a, Class<?> kind) {
        for (int i = 0; i < a.size(); i++) if (kind.isInstance(a.get(i))) return i;
        return -1;
    }

    @Test
    void delayOpenWaitsForThePeerToSpeakFirst() {
        FakeTimers t = new FakeTimers(settings().delayOpenSeconds(5).build());
        t.fire(new ManualStart());
        List<FsmAction> a = t.fire(new TcpCrAcked());
        assertEquals(SessionState.CONNECT, t.fsm.state());
        assertTrue(of(a, SendOpen.class).isEmpty());
        assertTrue(t.fsm.isRunning(FsmTimer.DELAY_OPEN));
        // Event 20: OPEN while the DelayOpenTimer runs -> send OPEN and KEEPALIVE, OpenConfirm.
        a = t.fire(new BgpOpen(peerOpen(30)));
        assertEquals(SessionState.OPEN_CONFIRM, t.fsm.state());
        assertEquals(1, of(a, SendOpen.class).size());
        assertTrue(a.indexOf(new SendKeepalive()) > indexOf(a, SendOpen.class));
        assertFalse(t.armed(FsmTimer.DELAY_OPEN));
    }

    @Test
    void delayOpenExpirySendsOpen() {
        FakeTimers t = new FakeTimers(settings().delayOpenSeconds(5).build());
        t.fire(new ManualStart());
        t.fire(new TcpCrAcked());
        List<FsmAction> a = t.advance(5);
        assertEquals(SessionState.OPEN_SENT, t.fsm.state());
        assertEquals(1, of(a, SendOpen.class).size());
    }

    @Test
    void openErrorsAreReportedWithTheirSubcode() {
        record Case(OpenMessage open, PeerSettings s, int subcode) {}
        List<Case> cases = List.of(
                new Case(new OpenMessage(4, 65003, 90, PEER_ID, List.of()), settings().build(), 2),
                new Case(new OpenMessage(4, 65002, 90, PEER_ID, List.of(new Capability.FourOctetAs(65003))), settings().build(), 2),
                new Case(new OpenMessage(4, 65002, 90, 0, List.of()), settings().build(), 3),
                new Case(peerOpen(2), settings().build(), 6),
                new Case(peerOpen(30, new Capability.Role(Capability.Role.PEER)), settings().role(Capability.Role.RS).build(), 11),
                new Case(new OpenMessage(3, 65002, 90, PEER_ID, List.of()), settings().build(), 1));
        for (Case c : cases) {
            FakeTimers t = at(SessionState.OPEN_SENT, c.s, c.open);
            NotificationMessage n = sent(t.fire(new BgpOpen(c.open)));
            assertEquals(2, n.code(), c.toString());
            assertEquals(c.subcode, n.subcode(), c.toString());
            assertEquals(SessionState.IDLE, t.fsm.state());
        }
    }

    @Test
    void ownIdentifierIsBadOnlyFromAnInternalPeer() {
        OpenMessage sameId = new OpenMessage(4, 65002, 90, LOCAL_ID, List.of(new Capability.FourOctetAs(65002)));
        assertEquals(SessionState.OPEN_CONFIRM, at(SessionState.OPEN_CONFIRM, settings().build(), sameId).fsm.state());
        OpenMessage ibgp = new OpenMessage(4, 65001, 90, LOCAL_ID, List.of(new Capability.FourOctetAs(65001)));
        FakeTimers t = at(SessionState.OPEN_SENT, settings().remoteAsn(65001).build(), ibgp);
        assertEquals(3, sent(t.fire(new BgpOpen(ibgp))).subcode());
        assertEquals(SessionState.IDLE, t.fsm.state());
    }

    @Test
    void missingRequiredCapabilityIsUnsupportedCapabilityWithOurCapabilityAsData() {
        PeerSettings s = settings().localAsn(4_200_000_000L).requiredCapabilities(Set.of(Capability.FOUR_OCTET_AS)).build();
        OpenMessage twoOctet = new OpenMessage(4, 65002, 90, PEER_ID, List.of());
        FakeTimers t = at(SessionState.OPEN_SENT, s, twoOctet);
        NotificationMessage n = sent(t.fire(new BgpOpen(twoOctet)));
        assertEquals(2, n.code());
        assertEquals(7, n.subcode());
        // RFC 5492 section 3: code 65, length 4, our 4-octet ASN.
        assertArrayEquals(new byte[] {65, 4, (byte) 0xFA, 0x56, (byte) 0xEA, 0x00}, n.data());
    }

    @Test
    void fourOctetAsnIsSentAsAsTrans() {
        OpenMessage open = settings().localAsn(4_200_000_000L).build().openMessage();
        assertEquals(OpenMessage.AS_TRANS, open.myAs());
        assertEquals(4_200_000_000L, open.asn());
    }

    @Test
    void anUpdateSentRestartsTheKeepaliveTimer() {
        FakeTimers t = at(SessionState.ESTABLISHED); // hold 30, keepalive 10
        t.advance(8);
        List<FsmAction> a = t.fire(new UpdateSent());
        // RFC 4271 section 8.2.2: each UPDATE sent restarts the KeepaliveTimer.
        assertEquals(List.of(new StartTimer(FsmTimer.KEEPALIVE, 10)), a);
        assertTrue(of(t.advance(9), SendKeepalive.class).isEmpty(), "no KEEPALIVE at 10 s: an UPDATE went at 8 s");
        assertEquals(1, of(t.advance(1), SendKeepalive.class).size(), "KEEPALIVE 10 s after the UPDATE");
        assertEquals(SessionState.ESTABLISHED, t.fsm.state());
    }

    @Test
    void anUpdateSentWithHoldTimeZeroStartsNothing() {
        FakeTimers t = at(SessionState.ESTABLISHED, settings().build(), peerOpen(0));
        assertTrue(t.fire(new UpdateSent()).isEmpty());
        assertFalse(t.armed(FsmTimer.KEEPALIVE));
    }

    @Test
    void localNoticesOutsideEstablishedAreIgnored() {
        for (SessionState s : List.of(SessionState.CONNECT, SessionState.OPEN_SENT, SessionState.OPEN_CONFIRM)) {
            for (FsmEvent e : List.of(new UpdateSent(), new PeerRestarted())) {
                FakeTimers t = at(s);
                assertTrue(t.fire(e).isEmpty(), e + " in " + s);
                assertEquals(s, t.fsm.state());
            }
        }
        FakeTimers idle = new FakeTimers(settings().build());
        assertTrue(idle.fire(new PeerRestarted()).isEmpty());
    }

    @Test
    void peerRestartedEndsTheSessionWithoutNotificationOrRestart() {
        FakeTimers t = at(SessionState.ESTABLISHED, settings().build(),
                peerOpen(30, new Capability.GracefulRestart(0, 120, List.of())));
        List<FsmAction> a = t.fire(new PeerRestarted());
        // RFC 4724 section 4.2: no NOTIFICATION, so the routes stay (stale) above us.
        assertTrue(of(a, SendNotification.class).isEmpty(), a.toString());
        assertEquals(List.of(new SessionDown(Reason.PEER_RESTARTED, null)), of(a, SessionDown.class));
        assertTrue(a.contains(new DropConnection()));
        assertTrue(a.contains(new StateChanged(SessionState.ESTABLISHED, SessionState.IDLE, Reason.PEER_RESTARTED)));
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertFalse(t.armed(FsmTimer.IDLE_HOLD), "the peer's new connection takes over; no automatic restart");
        assertFalse(t.armed(FsmTimer.HOLD));
        assertFalse(t.armed(FsmTimer.KEEPALIVE));
        assertEquals("peer restarted (graceful restart)", Reason.PEER_RESTARTED.describe());
        assertEquals("hold timer expired", Reason.HOLD_TIMER_EXPIRED.describe());
    }
}
