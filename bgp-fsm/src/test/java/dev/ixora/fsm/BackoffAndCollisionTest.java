package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.NotificationMessage;
import dev.ixora.fsm.CollisionResolver.Survivor;
import dev.ixora.fsm.FsmAction.*;
import dev.ixora.fsm.FsmEvent.*;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffAndCollisionTest {
    long now;

    @Test
    void idleHoldDoublesToTheCeiling() {
        IdleHoldBackoff b = new IdleHoldBackoff(5, 120, () -> now);
        List<Integer> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) delays.add(b.onFailure());
        assertEquals(List.of(5, 10, 20, 40, 80, 120, 120, 120), delays);
    }

    @Test
    void stableSessionResetsTheBackoff() {
        IdleHoldBackoff b = new IdleHoldBackoff(5, 120, () -> now);
        b.onFailure();
        b.onFailure();
        b.established();
        now += 10_000; // a short-lived session keeps the growth
        assertEquals(20, b.onFailure());
        b.established();
        now += IdleHoldBackoff.STABLE_MILLIS;
        assertEquals(5, b.onFailure());
    }

    @Test
    void fsmUsesTheBackoffOnRepeatedErrors() {
        FakeTimers t = new FakeTimers(SessionFsmTest.settings().build());
        t.fire(new ManualStart());
        List<Integer> idleHolds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            t.fire(new TcpCrAcked());
            List<FsmAction> a = t.fire(new NotifMsg(NotificationMessage.cease(4)));
            idleHolds.add(SessionFsmTest.of(a, StartTimer.class).stream()
                    .filter(s -> s.timer() == FsmTimer.IDLE_HOLD).findFirst().orElseThrow().seconds());
            t.advance(idleHolds.get(i));
            assertEquals(SessionState.CONNECT, t.fsm.state());
        }
        assertEquals(List.of(5, 10, 20, 40), idleHolds);
    }

    @Test
    void configuredIdleHoldRangeIsUsed() {
        FakeTimers t = new FakeTimers(SessionFsmTest.settings().idleHold(2, 7).build());
        t.fire(new ManualStart());
        List<Integer> idleHolds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            t.fire(new TcpCrAcked());
            List<FsmAction> a = t.fire(new BgpHeaderErr(dev.ixora.codec.BgpError.reset(1, 1, null, "marker")));
            idleHolds.add(SessionFsmTest.of(a, StartTimer.class).stream()
                    .filter(s -> s.timer() == FsmTimer.IDLE_HOLD).findFirst().orElseThrow().seconds());
            t.advance(idleHolds.get(i));
        }
        assertEquals(List.of(2, 4, 7, 7), idleHolds);
    }

    @Test
    void higherIdentifierKeepsItsOwnConnection() {
        // RFC 4271 section 6.8
        assertEquals(Survivor.LOCAL_INITIATED, CollisionResolver.resolve(0xC0000202L, 0x0A000001L, 1, 2));
        assertEquals(Survivor.REMOTE_INITIATED, CollisionResolver.resolve(0x0A000001L, 0xC0000202L, 1, 2));
        // compared unsigned: 255.0.0.1 beats 127.0.0.1
        assertEquals(Survivor.LOCAL_INITIATED, CollisionResolver.resolve(0xFF000001L, 0x7F000001L, 1, 2));
        assertTrue(CollisionResolver.loses(true, 1, 2, 65001, 65002));
        assertFalse(CollisionResolver.loses(false, 1, 2, 65001, 65002));
    }

    @Test
    void equalIdentifiersFallBackToTheAsNumber() {
        // RFC 6286 section 2.3
        assertEquals(Survivor.LOCAL_INITIATED, CollisionResolver.resolve(7, 7, 65010, 65002));
        assertEquals(Survivor.REMOTE_INITIATED, CollisionResolver.resolve(7, 7, 65001, 65002));
    }

    @Test
    void collisionDumpSendsCeaseSevenAndDoesNotRestart() {
        FakeTimers t = SessionFsmTest.at(SessionState.OPEN_CONFIRM);
        List<FsmAction> a = t.fire(new OpenCollisionDump());
        assertEquals(NotificationMessage.cease(NotificationMessage.CEASE_CONNECTION_COLLISION), SessionFsmTest.sent(a));
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertTrue(t.advance(3600).isEmpty());
    }

    @Test
    void secondConnectionStartsOnTheAcceptedSocketAndNeverRestarts() {
        FakeTimers t = new FakeTimers(SessionFsmTest.settings().build());
        t.fsm.setAutoRestart(false);
        t.apply(t.fsm.startOnAcceptedConnection());
        assertEquals(SessionState.OPEN_SENT, t.fsm.state());
        assertEquals(1, SessionFsmTest.of(t.log, SendOpen.class).size());
        t.fire(new NotifMsg(NotificationMessage.cease(4)));
        assertEquals(SessionState.IDLE, t.fsm.state());
        assertFalse(t.armed(FsmTimer.IDLE_HOLD));
    }
}
