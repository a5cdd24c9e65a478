package dev.ixora.fsm;

import dev.ixora.codec.BgpError;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.fsm.FsmAction.*;
import dev.ixora.fsm.FsmEvent.*;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The BGP finite state machine of RFC 4271 section 8 for one connection to one peer: events in,
 * actions out, no sockets, no clock (timers are actions; their expiry comes back as an event).
 * Not thread-safe: one thread (the peer's event loop) drives it.
 *
 * <p>Departures from the RFC, all as other implementations do:
 * <ul>
 *   <li>A failed outgoing connect in Connect goes to Active and retries on the ConnectRetryTimer
 *       (as FRR does), instead of Idle: an absent peer is not a session error and is not damped.</li>
 *   <li>Automatic restart after errors is always on, damped by the IdleHoldTimer
 *       ({@link IdleHoldBackoff}); ManualStop turns it off until the next ManualStart.</li>
 *   <li>A passive peer never runs the ConnectRetryTimer: it waits in Active.</li>
 *   <li>A second connection during OpenSent/OpenConfirm gets its own {@code SessionFsm}
 *       (section 6.8); this one ignores its TCP events there.</li>
 * </ul>
 * Beyond RFC 4271: {@link FsmEvent.PeerRestarted} (RFC 4724 section 4.2) ends an Established
 * session without a NOTIFICATION, and {@link FsmEvent.UpdateSent} restarts the KeepaliveTimer as
 * section 8.2.2 asks.
 */
public final class SessionFsm {
    /** RFC 4271 section 8.2.2: "a large value" for the HoldTimer while waiting for the OPEN; 4 minutes. */
    public static final int LARGE_HOLD_SECONDS = 240;

    private final PeerSettings settings;
    private final IdleHoldBackoff backoff;
    private final OpenMessage ourOpen;
    private final Set<FsmTimer> running = EnumSet.noneOf(FsmTimer.class);
    private SessionState state = SessionState.IDLE;
    private boolean stopped = true;
    private boolean autoRestart = true;
    private boolean passive;
    private int connectRetryCounter;
    private NegotiatedSession negotiated;
    /** The actions of the event being handled; reused (handle returns an immutable copy). */
    private final List<FsmAction> out = new ArrayList<>();
    private StartTimer holdRestart;

    public SessionFsm(PeerSettings settings, IdleHoldBackoff backoff) {
        this.settings = settings;
        this.backoff = backoff;
        this.ourOpen = settings.openMessage();
        this.passive = settings.passive();
    }

    public SessionState state() {
        return state;
    }

    /** What the OPENs agreed on, from OpenConfirm on; null before and after. */
    public NegotiatedSession negotiated() {
        return negotiated;
    }

    public OpenMessage ourOpen() {
        return ourOpen;
    }

    public boolean isRunning(FsmTimer timer) {
        return running.contains(timer);
    }

    public int connectRetryCounter() {
        return connectRetryCounter;
    }

    /** False for a connection that exists only to resolve a collision: it never restarts itself. */
    public void setAutoRestart(boolean autoRestart) {
        this.autoRestart = autoRestart;
    }

    /** The collision's surviving second connection becomes the peer's main one: restarts as configured. */
    public void promote() {
        autoRestart = true;
        passive = settings.passive();
    }

    /**
     * Starts this FSM on an accepted connection, for the second connection of section 6.8:
     * equivalent to AutomaticStart_with_PassiveTcpEstablishment followed by TcpConnectionConfirmed.
     */
    public List<FsmAction> startOnAcceptedConnection() {
        out.clear();
        stopped = false;
        passive = true;
        transition(SessionState.ACTIVE, Reason.TCP_CONNECTED);
        connected();
        return actions();
    }

    public List<FsmAction> handle(FsmEvent event) {
        out.clear();
        if (event instanceof TimerExpired t) running.remove(t.timer());
        switch (state) {
            case IDLE -> idle(event);
            case CONNECT, ACTIVE -> connectOrActive(event);
            case OPEN_SENT -> openSent(event);
            case OPEN_CONFIRM -> openConfirm(event);
            case ESTABLISHED -> established(event);
            default -> throw new IllegalStateException("unknown state " + state);
        }
        return actions();
    }

    /**
     * Event 27 (UpdateMsg) for a driver's fast path, without the event and action objects: in
     * Established it does what {@code handle(new UpdateMsg(m))} does there (RFC 4271 section 8.2.2:
     * restart the HoldTimer if its negotiated value is non-zero, then deliver) and returns the
     * seconds to restart the HoldTimer with (0: no HoldTimer); the caller then starts that timer and
     * delivers the message, in that order, as it would for {@link StartTimer} and {@link Deliver}.
     * In any other state it changes nothing and returns -1: the caller must go through {@link #handle}.
     */
    public int updateReceived() {
        if (state != SessionState.ESTABLISHED) return -1;
        if (negotiated == null || negotiated.holdTime() <= 0) return 0;
        running.add(FsmTimer.HOLD);
        return negotiated.holdTime();
    }

    /** What {@link #handle} returns: the actions, immutable (one small object for the usual one or two). */
    private List<FsmAction> actions() {
        return switch (out.size()) {
            case 0 -> List.of();
            case 1 -> List.of(out.get(0));
            case 2 -> List.of(out.get(0), out.get(1));
            default -> List.copyOf(out);
        };
    }

    // RFC 4271 section 8.2.2, Idle state: only starts matter; everything else is ignored.
    private void idle(FsmEvent event) {
        if (event instanceof ManualStart) {
            start(settings.passive(), Reason.MANUAL_START, true);
        } else if (event instanceof ManualStartPassive) {
            start(true, Reason.MANUAL_START, true);
        } else if (event instanceof AutomaticStart) {
            if (!stopped) start(settings.passive(), Reason.AUTOMATIC_START, false);
        } else if (isTimer(event, FsmTimer.IDLE_HOLD)) {
            if (!stopped) start(settings.passive(), Reason.IDLE_HOLD_EXPIRED, false);
        } else if (event instanceof ManualStop) {
            stopped = true;
            stopTimer(FsmTimer.IDLE_HOLD);
        }
    }

    private void start(boolean passiveStart, Reason reason, boolean manual) {
        stopped = false;
        passive = passiveStart;
        stopTimer(FsmTimer.IDLE_HOLD);
        if (manual) {
            connectRetryCounter = 0;
            backoff.reset();
        }
        if (passiveStart) {
            transition(SessionState.ACTIVE, reason);
        } else {
            startTimer(FsmTimer.CONNECT_RETRY, settings.connectRetrySeconds());
            out.add(new Connect());
            transition(SessionState.CONNECT, reason);
        }
    }

    // RFC 4271 section 8.2.2, Connect and Active states (they differ only where noted).
    private void connectOrActive(FsmEvent event) {
        if (event instanceof ManualStop e) {
            connectRetryCounter = 0;
            stop(e.reason(), null);
        } else if (isTimer(event, FsmTimer.CONNECT_RETRY)) {
            if (passive) return;
            out.add(new DropConnection());
            stopTimer(FsmTimer.DELAY_OPEN);
            startTimer(FsmTimer.CONNECT_RETRY, settings.connectRetrySeconds());
            out.add(new Connect());
            transition(SessionState.CONNECT, Reason.CONNECT_RETRY_EXPIRED);
        } else if (isTimer(event, FsmTimer.DELAY_OPEN)) {
            sendOpen();
            transition(SessionState.OPEN_SENT, Reason.DELAY_OPEN_EXPIRED);
        } else if (event instanceof TcpCrAcked || event instanceof TcpConnectionConfirmed) {
            connected();
        } else if (event instanceof TcpConnectionFails) {
            // FRR's Connect->Active on a failed connect (see class comment); RFC for Active.
            stopTimer(FsmTimer.DELAY_OPEN);
            out.add(new DropConnection());
            if (!passive) startTimer(FsmTimer.CONNECT_RETRY, settings.connectRetrySeconds());
            transition(SessionState.ACTIVE, Reason.TCP_FAILED);
        } else if (event instanceof BgpOpen o && running.contains(FsmTimer.DELAY_OPEN)) {
            // Event 20: the peer spoke first while our DelayOpenTimer ran.
            stopTimer(FsmTimer.CONNECT_RETRY);
            stopTimer(FsmTimer.DELAY_OPEN);
            out.add(new SendOpen(ourOpen));
            receiveOpen(o.open());
        } else if (event instanceof BgpHeaderErr e) {
            fail(Reason.HEADER_ERROR, NotificationMessage.of(e.error()), true);
        } else if (event instanceof BgpOpenMsgErr e) {
            fail(Reason.OPEN_ERROR, NotificationMessage.of(e.error()), true);
        } else if (event instanceof NotifMsgVerErr e) {
            fail(Reason.NOTIFICATION_RECEIVED, e.notification(), false);
        } else if (event instanceof NotifMsg e) {
            fail(Reason.NOTIFICATION_RECEIVED, e.notification(), false);
        } else if (isStart(event) || isTimer(event, FsmTimer.IDLE_HOLD) || isLocalNotice(event)) {
            return;
        } else {
            // Any other event: connectRetryCounter + 1, release everything, Idle.
            connectRetryCounter++;
            fail(Reason.FSM_ERROR, null, false);
        }
    }

    /** Events 16/17: the TCP connection is up. */
    private void connected() {
        stopTimer(FsmTimer.CONNECT_RETRY);
        if (settings.delayOpenSeconds() > 0) {
            // RFC 4271 section 8.1.1 DelayOpen: wait for the peer's OPEN before sending ours.
            startTimer(FsmTimer.DELAY_OPEN, settings.delayOpenSeconds());
        } else {
            sendOpen();
            transition(SessionState.OPEN_SENT, Reason.TCP_CONNECTED);
        }
    }

    private void sendOpen() {
        out.add(new SendOpen(ourOpen));
        startTimer(FsmTimer.HOLD, LARGE_HOLD_SECONDS);
    }

    // RFC 4271 section 8.2.2, OpenSent state.
    private void openSent(FsmEvent event) {
        if (event instanceof TcpConnectionFails) {
            out.add(new DropConnection());
            stopTimer(FsmTimer.HOLD);
            if (!passive) startTimer(FsmTimer.CONNECT_RETRY, settings.connectRetrySeconds());
            transition(SessionState.ACTIVE, Reason.TCP_FAILED);
        } else if (event instanceof BgpOpen o) {
            stopTimer(FsmTimer.DELAY_OPEN);
            stopTimer(FsmTimer.CONNECT_RETRY);
            receiveOpen(o.open());
        } else {
            common(event, 1);
        }
    }

    /** Checks the peer's OPEN; on success KEEPALIVE and OpenConfirm, otherwise NOTIFICATION and Idle. */
    private void receiveOpen(OpenMessage open) {
        OpenNegotiation.Result result = OpenNegotiation.negotiate(settings, ourOpen, open);
        if (result instanceof OpenNegotiation.Result.Rejected r) {
            fail(Reason.OPEN_ERROR, r.notification(), true);
            return;
        }
        negotiated = ((OpenNegotiation.Result.Accepted) result).session();
        out.add(new SendKeepalive());
        // RFC 4271 section 4.2: a zero hold time means no HoldTimer and no KeepaliveTimer.
        if (negotiated.holdTime() > 0) {
            startTimer(FsmTimer.KEEPALIVE, negotiated.keepaliveTime());
            startTimer(FsmTimer.HOLD, negotiated.holdTime());
        } else {
            stopTimer(FsmTimer.HOLD);
        }
        transition(SessionState.OPEN_CONFIRM, Reason.OPEN_RECEIVED);
    }

    // RFC 4271 section 8.2.2, OpenConfirm state.
    private void openConfirm(FsmEvent event) {
        if (isTimer(event, FsmTimer.KEEPALIVE)) {
            keepalive();
        } else if (event instanceof TcpConnectionFails) {
            fail(Reason.TCP_FAILED, null, false);
        } else if (event instanceof KeepAliveMsg) {
            restartHold();
            backoff.established();
            transition(SessionState.ESTABLISHED, Reason.KEEPALIVE_RECEIVED);
            out.add(new SessionUp(negotiated));
        } else {
            common(event, 2);
        }
    }

    // RFC 4271 section 8.2.2, Established state.
    private void established(FsmEvent event) {
        if (isTimer(event, FsmTimer.KEEPALIVE)) {
            keepalive();
        } else if (event instanceof TcpConnectionFails) {
            fail(Reason.TCP_FAILED, null, false);
        } else if (event instanceof KeepAliveMsg) {
            restartHold();
        } else if (event instanceof UpdateMsg u) {
            restartHold();
            out.add(new Deliver(u.update()));
        } else if (event instanceof RouteRefreshMsg r) {
            restartHold();
            out.add(new Deliver(r.routeRefresh()));
        } else if (event instanceof UpdateMsgErr e) {
            fail(Reason.UPDATE_ERROR, NotificationMessage.of(e.error()), true);
        } else if (event instanceof UpdateSent) {
            // RFC 4271 section 8.2.2: sending an UPDATE restarts the KeepaliveTimer (unless hold time 0).
            if (negotiated.holdTime() > 0) startTimer(FsmTimer.KEEPALIVE, negotiated.keepaliveTime());
        } else if (event instanceof PeerRestarted) {
            // RFC 4724 section 4.2: the peer restarted. No NOTIFICATION (it would reach nobody, and
            // the routes must stay, stale), no IdleHoldTimer: the peer's new connection takes over.
            toIdle(Reason.PEER_RESTARTED, null, false);
        } else {
            common(event, 3);
        }
    }

    /** The events OpenSent, OpenConfirm and Established treat alike; anything else is an FSM error. */
    private void common(FsmEvent event, int fsmErrorSubcode) {
        if (event instanceof ManualStop e) {
            stop(e.reason(), NotificationMessage.cease(e.ceaseSubcode(), e.message()));
        } else if (isTimer(event, FsmTimer.HOLD)) {
            fail(Reason.HOLD_TIMER_EXPIRED, new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, 0), true);
        } else if (isStart(event) || event instanceof TcpCrAcked || event instanceof TcpConnectionConfirmed) {
            // Starts are ignored; a second TCP connection is tracked by its own FSM (section 6.8).
            return;
        } else if (isLocalNotice(event)) {
            return;
        } else if (event instanceof BgpHeaderErr e) {
            fail(Reason.HEADER_ERROR, NotificationMessage.of(e.error()), true);
        } else if (event instanceof BgpOpenMsgErr e) {
            fail(Reason.OPEN_ERROR, NotificationMessage.of(e.error()), true);
        } else if (event instanceof OpenCollisionDump) {
            // RFC 4271 section 6.8: Cease, Connection Collision Resolution; the other connection lives on.
            NotificationMessage n = NotificationMessage.cease(NotificationMessage.CEASE_CONNECTION_COLLISION);
            out.add(new SendNotification(n));
            toIdle(Reason.COLLISION, n, false);
        } else if (event instanceof NotifMsgVerErr e) {
            // RFC 4271 section 8.2.2: NotifMsgVerErr goes to Idle without damping.
            toIdle(Reason.NOTIFICATION_RECEIVED, e.notification(), false);
        } else if (event instanceof NotifMsg e) {
            fail(Reason.NOTIFICATION_RECEIVED, e.notification(), false);
        } else {
            // RFC 6608 section 4: FSM Error with the subcode naming the state.
            connectRetryCounter++;
            fail(Reason.FSM_ERROR, new NotificationMessage(BgpError.FSM_ERROR, fsmErrorSubcode), true);
        }
    }

    private static boolean isTimer(FsmEvent event, FsmTimer timer) {
        return event instanceof TimerExpired t && t.timer() == timer;
    }

    /**
     * Events the driver raises about our side, not the peer's: they only mean something in
     * Established, and arriving late (after the session left it) they are no error.
     */
    private static boolean isLocalNotice(FsmEvent event) {
        return event instanceof UpdateSent || event instanceof PeerRestarted;
    }

    private static boolean isStart(FsmEvent event) {
        return event instanceof ManualStart || event instanceof ManualStartPassive || event instanceof AutomaticStart;
    }

    private void keepalive() {
        out.add(new SendKeepalive());
        startTimer(FsmTimer.KEEPALIVE, negotiated.keepaliveTime());
    }

    /** Every UPDATE and KEEPALIVE restarts the HoldTimer: one StartTimer action, made once per session. */
    private void restartHold() {
        if (negotiated == null || negotiated.holdTime() <= 0) return;
        StartTimer s = holdRestart;
        if (s == null || s.seconds() != negotiated.holdTime()) holdRestart = s = new StartTimer(FsmTimer.HOLD, negotiated.holdTime());
        running.add(FsmTimer.HOLD);
        out.add(s);
    }

    /** ManualStop: optional Cease, drop, Idle, no automatic restart. */
    private void stop(Reason reason, NotificationMessage cease) {
        if (cease != null) out.add(new SendNotification(cease));
        stopped = true;
        toIdle(reason, cease, false);
    }

    /** An error: optionally send the NOTIFICATION, drop, Idle, and restart after the IdleHoldTimer. */
    private void fail(Reason reason, NotificationMessage notification, boolean send) {
        if (send && notification != null) out.add(new SendNotification(notification));
        toIdle(reason, notification, true);
    }

    private void toIdle(Reason reason, NotificationMessage notification, boolean restart) {
        for (FsmTimer t : List.copyOf(running)) stopTimer(t);
        out.add(new DropConnection());
        boolean wasEstablished = state == SessionState.ESTABLISHED;
        transition(SessionState.IDLE, reason);
        if (wasEstablished) out.add(new SessionDown(reason, notification));
        negotiated = null;
        if (restart && autoRestart && !stopped) startTimer(FsmTimer.IDLE_HOLD, backoff.onFailure());
    }

    private void startTimer(FsmTimer timer, int seconds) {
        running.add(timer);
        out.add(new StartTimer(timer, seconds));
    }

    private void stopTimer(FsmTimer timer) {
        if (running.remove(timer)) out.add(new StopTimer(timer));
    }

    private void transition(SessionState to, Reason reason) {
        if (to == state) return;
        out.add(new StateChanged(state, to, reason));
        state = to;
    }
}
