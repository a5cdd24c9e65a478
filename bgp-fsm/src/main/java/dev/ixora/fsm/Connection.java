package dev.ixora.fsm;

import dev.ixora.codec.AttributeCache;
import dev.ixora.codec.BgpError;
import dev.ixora.codec.BgpFrameDecoder;
import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.DecodedRun;
import dev.ixora.codec.ErrorAction;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.RouteRefreshMessage;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link SessionFsm} over Netty: runs its actions (connect, write, close, timers) and
 * turns what arrives on its channel into FSM events. A peer has one, or two during a collision
 * (RFC 4271 section 6.8). Everything here runs on the peer's event loop.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    final BgpSession session;
    final SessionFsm fsm;
    private final Map<FsmTimer, Timer> timers = new EnumMap<>(FsmTimer.class);
    /** The TCP connection, pending or up; null when there is none. */
    Channel channel;
    boolean outgoing;
    SessionCodecContext codec = SessionCodecContext.INITIAL;
    private BgpFrameDecoder frameDecoder;
    /**
     * The clock when the current socket read started (ticker nanos), -1 between reads: every message
     * of one read was received by then, and timers restarted by them (the HoldTimer, by every
     * UPDATE) take it instead of reading the clock once per message.
     */
    private long readStartNanos = -1;
    /** True while a received message is handled (only then is {@link #readStartNanos} used). */
    private boolean handlingRead;
    /** Attribute sets this connection decoded recently (a full table repeats them). */
    private AttributeCache attributeCache = new AttributeCache();
    /** Messages and UPDATEs decoded in the current read, not yet in the session's counters (event loop only). */
    private int receivedMessages;
    private int receivedUpdates;

    Connection(BgpSession session, SessionFsm fsm) {
        this.session = session;
        this.fsm = fsm;
    }

    void handle(FsmEvent event) {
        SessionState before = fsm.state();
        execute(fsm.handle(event));
        if (before != SessionState.OPEN_CONFIRM && fsm.state() == SessionState.OPEN_CONFIRM) {
            // RFC 8654 section 4 / RFC 7911 / RFC 6793: the wire format changes right after the OPENs.
            codec = fsm.negotiated().codecContext();
            if (frameDecoder != null) frameDecoder.setContext(codec);
        }
        session.afterEvent(this, before);
    }

    void execute(List<FsmAction> actions) {
        for (FsmAction a : actions) {
            if (a instanceof FsmAction.Connect) {
                session.connect(this);
            } else if (a instanceof FsmAction.DropConnection) {
                drop();
            } else if (a instanceof FsmAction.SendOpen o) {
                write(o.open());
            } else if (a instanceof FsmAction.SendKeepalive) {
                write(KeepaliveMessage.INSTANCE);
            } else if (a instanceof FsmAction.SendNotification n) {
                log.warn("peer={} addr={} sent NOTIFICATION {}", session.name(), session.settings().remoteAddress()
                        .getHostAddress(), n.notification().describe());
                write(n.notification());
            } else if (a instanceof FsmAction.StartTimer t) {
                startTimer(t.timer(), t.seconds());
            } else if (a instanceof FsmAction.StopTimer t) {
                Timer f = timers.remove(t.timer());
                if (f != null) f.cancel();
            } else if (a instanceof FsmAction.Deliver d) {
                session.deliver(d.message());
            } else if (a instanceof FsmAction.StateChanged s) {
                session.stateChanged(this, s);
            } else if (a instanceof FsmAction.SessionUp u) {
                session.up(this, u.session());
            } else if (a instanceof FsmAction.SessionDown d) {
                session.down(this, d);
            }
        }
    }

    /** Attaches a new TCP connection (accepted or being connected); its pipeline gets our handlers. */
    void attach(Channel ch, boolean isOutgoing) {
        channel = ch;
        outgoing = isOutgoing;
        codec = SessionCodecContext.INITIAL;
        readStartNanos = -1;
        attributeCache = new AttributeCache();
        frameDecoder = new BgpFrameDecoder();
        // UPDATEs arrive decoded (DecodeResult, consecutive ones as a DecodedRun), with `codec`
        frameDecoder.decodeUpdates(attributeCache, true);
        ch.pipeline().addLast("bgp-frame", frameDecoder);
        ch.pipeline().addLast("bgp-session", new Wire(ch));
    }

    private void write(BgpMessage msg) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) return;
        ByteBuf buf;
        try {
            buf = BgpMessageCodec.encode(msg, codec, ch.alloc());
        } catch (RuntimeException e) {
            // Our own message does not fit the wire (e.g. an OPEN over 4096 bytes): a bug or a config error.
            log.error("peer={} cannot encode {}: {}", session.name(), msg.getClass().getSimpleName(), e.toString());
            ch.close();
            return;
        }
        session.countSent(msg);
        ch.writeAndFlush(buf, ch.voidPromise());
    }

    /** Closes after everything written so far has gone out (the NOTIFICATION before the FIN). */
    private void drop() {
        Channel ch = channel;
        channel = null;
        frameDecoder = null;
        if (ch == null) return;
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    private void startTimer(FsmTimer timer, int seconds) {
        long millis = seconds * 1000L;
        if (timer == FsmTimer.CONNECT_RETRY || timer == FsmTimer.KEEPALIVE || timer == FsmTimer.IDLE_HOLD) {
            // RFC 4271 section 10: jitter (0.75 to 1.0 of the value) so that peers do not synchronise.
            millis = (long) (millis * (0.75 + 0.25 * ThreadLocalRandom.current().nextDouble()));
        }
        long now = handlingRead && readStartNanos >= 0 ? readStartNanos : session.loop().ticker().nanoTime();
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        Timer t = timers.get(timer);
        if (t != null && t.firesAt <= deadline) {
            // Restarted before it fired, later than it would (every UPDATE restarts the HoldTimer):
            // only move the deadline; the task, when it fires early, re-arms itself for the rest.
            t.deadline = deadline;
            return;
        }
        if (t != null) t.cancel();
        t = new Timer(timer, deadline);
        timers.put(timer, t);
        t.arm(deadline - now);
    }

    /**
     * One running FSM timer: its deadline, and a scheduled task that fires at {@code firesAt}
     * (never after the deadline). Restarts move the deadline only; when the task fires before the
     * deadline it schedules itself again for the remainder, so the expiry comes exactly when a
     * timer restarted each time would have fired.
     */
    private final class Timer implements Runnable {
        final FsmTimer timer;
        long deadline;
        long firesAt;
        private ScheduledFuture<?> future;

        Timer(FsmTimer timer, long deadline) {
            this.timer = timer;
            this.deadline = deadline;
        }

        void arm(long delayNanos) {
            firesAt = deadline;
            future = session.loop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }

        void cancel() {
            future.cancel(false);
        }

        @Override
        public void run() {
            // A timer stopped or replaced after it was queued must not fire.
            if (timers.get(timer) != this) return;
            long left = deadline - session.loop().ticker().nanoTime();
            if (left > 0) {
                arm(left);
                return;
            }
            timers.remove(timer);
            handle(new FsmEvent.TimerExpired(timer));
        }
    }

    /** Discards this connection without FSM events: closes its channel and stops its timers. */
    void dismiss() {
        cancelTimers();
        Channel ch = channel;
        channel = null;
        if (ch != null) ch.close();
    }

    void cancelTimers() {
        for (Timer t : timers.values()) t.cancel();
        timers.clear();
    }

    void tcpConnected(Channel ch) {
        if (channel == ch) handle(new FsmEvent.TcpCrAcked());
    }

    void tcpFailed(Channel ch, Throwable cause) {
        if (channel != ch) return;
        log.debug("peer={} connect failed: {}", session.name(), String.valueOf(cause));
        channel = null;
        handle(new FsmEvent.TcpConnectionFails());
    }

    private FsmEvent toEvent(DecodeResult result) {
        if (result instanceof DecodeResult.Failed f) {
            BgpError e = f.error();
            if (e.action() == ErrorAction.AFI_SAFI_DISABLE) {
                // RFC 7606 section 2 allows a session reset where AFI/SAFI disable is not implemented.
                log.warn("peer={} AFI/SAFI disable not implemented, resetting the session: {}", session.name(), e);
            }
            return switch (e.code()) {
                case BgpError.MESSAGE_HEADER_ERROR -> new FsmEvent.BgpHeaderErr(e);
                case BgpError.OPEN_MESSAGE_ERROR -> new FsmEvent.BgpOpenMsgErr(e);
                default -> new FsmEvent.UpdateMsgErr(e);
            };
        }
        DecodeResult.Decoded d = (DecodeResult.Decoded) result;
        BgpMessage m = d.message();
        if (!d.warnings().isEmpty()) {
            log.warn("peer={} addr={} {} message decoded with RFC 7606 handling: {}", session.name(),
                    session.settings().remoteAddress().getHostAddress(), m.type(), d.warnings());
        }
        if (m instanceof OpenMessage o) return new FsmEvent.BgpOpen(o);
        if (m instanceof KeepaliveMessage) return new FsmEvent.KeepAliveMsg();
        if (m instanceof UpdateMessage) return new FsmEvent.UpdateMsg(m);
        if (m instanceof RouteRefreshMessage) return new FsmEvent.RouteRefreshMsg(m);
        if (m instanceof NotificationMessage n) {
            log.warn("peer={} addr={} received NOTIFICATION {}", session.name(),
                    session.settings().remoteAddress().getHostAddress(), n.describe());
            return FsmEvent.notification(n);
        }
        throw new IllegalStateException("unexpected message " + m);
    }

    /**
     * Event 27 (UpdateMsg) without the event and action objects, when the FSM is Established:
     * {@link SessionFsm#updateReceived} decides, then the HoldTimer restart and the delivery run
     * here in the order {@link #execute} would run its StartTimer and Deliver actions. False
     * (nothing done) in any other state: the caller goes through {@link #handle}.
     */
    private boolean updateInEstablished(UpdateMessage u) {
        int hold = fsm.updateReceived();
        if (hold < 0) return false;
        handlingRead = true;
        try {
            if (hold > 0) startTimer(FsmTimer.HOLD, hold);
            session.deliverUpdate(u);
        } finally {
            handlingRead = false;
        }
        session.afterEvent(this, SessionState.ESTABLISHED);
        return true;
    }

    /** Adds what this connection received since the last call to the session's counters. */
    private void publishCounts() {
        if (receivedMessages == 0) return;
        session.countReceived(receivedMessages, receivedUpdates);
        receivedMessages = 0;
        receivedUpdates = 0;
    }

    /** The last handler of one TCP connection: frames in, FSM events out. */
    private final class Wire extends ChannelInboundHandlerAdapter {
        private final Channel ch;

        Wire(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (readStartNanos < 0) readStartNanos = session.loop().ticker().nanoTime();
            if (msg instanceof DecodedRun run) { // consecutive UPDATEs decoded by the framer, in wire order
                for (int i = 0, n = run.size(); i < n; i++) {
                    try {
                        received(run.get(i));
                    } catch (RuntimeException e) {
                        exceptionCaught(ctx, e); // as Netty does for a message that came on its own
                    }
                }
                return;
            }
            if (msg instanceof DecodeResult.Decoded d) { // an UPDATE decoded by the framer: nothing to release
                received(d);
                return;
            }
            DecodeResult result;
            try {
                if (channel != ch) return;
                if (msg instanceof DecodeResult r) {
                    result = r;
                } else if (msg instanceof ByteBuf frame) {
                    result = BgpMessageCodec.decode(frame, codec, attributeCache);
                } else {
                    return;
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            received(result);
        }

        /** One received message: to the FSM, or for a clean UPDATE in Established, past it (updateInEstablished). */
        private void received(DecodeResult result) {
            if (channel != ch) return; // dropped already: nothing more from it counts
            if (result instanceof DecodeResult.Decoded d) {
                BgpMessage m = d.message();
                // counted here, published to the session's counters at the end of the read
                receivedMessages++;
                if (m instanceof UpdateMessage) receivedUpdates++;
                // The bulk of a session: a cleanly decoded UPDATE in Established. Anything else (RFC 7606
                // warnings, errors, other messages, other states) goes through the FSM's events below.
                if (m instanceof UpdateMessage u && d.warnings().isEmpty() && updateInEstablished(u)) return;
            }
            FsmEvent event = toEvent(result);
            if (event instanceof FsmEvent.BgpOpen o && session.resolveCollision(Connection.this, o.open())) return;
            handlingRead = true;
            try {
                handle(event);
            } finally {
                handlingRead = false;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readStartNanos = -1;
            publishCounts();
            session.readComplete(); // also after a drop: what the listener held back must go on
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            readStartNanos = -1;
            publishCounts();
            if (channel == ch) {
                channel = null;
                handle(new FsmEvent.TcpConnectionFails());
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            session.writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("peer={} connection error: {}", session.name(), String.valueOf(cause));
            ctx.close();
        }
    }
}
