package dev.ixora.fsm;

import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.RouteRefreshMessage;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handle of one configured peer. Its state lives on one event loop; the accessors here read
 * volatile snapshots and {@link #send} may be called from any thread. During a connection
 * collision (RFC 4271 section 6.8) it briefly owns two {@link Connection}s; the first is the main
 * one, whose state is {@link #state()}.
 */
public final class BgpSession {
    private static final Logger log = LoggerFactory.getLogger(BgpSession.class);

    private final PeerSettings settings;
    private final EventLoop loop;
    private final BgpSpeaker speaker;
    private final IdleHoldBackoff backoff;
    private final List<Runnable> writabilityListeners = new CopyOnWriteArrayList<>();
    private Connection main;
    private Connection second;
    private volatile SessionState state = SessionState.IDLE;
    private volatile NegotiatedSession negotiated;
    private volatile Connection established;
    private boolean removed;
    private final AtomicBoolean keepaliveRestartQueued = new AtomicBoolean();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong updatesReceived = new AtomicLong();
    private final AtomicLong updatesSent = new AtomicLong();
    private volatile long establishedTransitions;
    private volatile long establishedSinceMillis;
    private volatile Reason lastDownReason;
    private volatile NotificationMessage lastNotification;

    BgpSession(PeerSettings settings, EventLoop loop, BgpSpeaker speaker) {
        this.settings = settings;
        this.loop = loop;
        this.speaker = speaker;
        this.backoff = new IdleHoldBackoff(settings.idleHoldSeconds(), settings.idleHoldMaxSeconds(),
                System::currentTimeMillis);
        this.main = new Connection(this, new SessionFsm(settings, backoff));
    }

    public String name() {
        return settings.name();
    }

    public PeerSettings settings() {
        return settings;
    }

    /** The state of the main connection. */
    public SessionState state() {
        return state;
    }

    /** What the session negotiated while it is Established; null otherwise. */
    public NegotiatedSession negotiated() {
        return negotiated;
    }

    /**
     * Encodes with the negotiated context and writes + flushes. Returns false (and sends nothing)
     * unless the session is Established. Encoding errors (e.g. an UPDATE too long) throw.
     */
    public boolean send(BgpMessage message) {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        if (ch == null) return false;
        ByteBuf buf = BgpMessageCodec.encode(message, c.codec, ch.alloc());
        countSent(message);
        ch.writeAndFlush(buf, ch.voidPromise());
        if (message instanceof UpdateMessage) updateSent(c);
        return true;
    }

    /**
     * RFC 4271 section 8.2.2: an UPDATE sent restarts the KeepaliveTimer. Senders run on any thread,
     * the FSM on the event loop: at most one restart is queued at a time, however many UPDATEs go out.
     */
    private void updateSent(Connection c) {
        if (!keepaliveRestartQueued.compareAndSet(false, true)) return;
        loop.execute(() -> {
            keepaliveRestartQueued.set(false);
            if (established == c && c.fsm.state() == SessionState.ESTABLISHED) c.handle(new FsmEvent.UpdateSent());
        });
    }

    /**
     * Writes an already encoded message (encode-once fan-out: pass a retained duplicate). This
     * method owns {@code encoded}: it is written, or released when the session is not Established.
     */
    public boolean writeEncoded(ByteBuf encoded) {
        return writeEncoded(encoded, 1);
    }

    /**
     * Writes {@code messages} already encoded UPDATE messages, back to back in {@code encoded}, with
     * one write and one flush (one task for the event loop and one system call, however many
     * UPDATEs). Owns {@code encoded} like {@link #writeEncoded(ByteBuf)}.
     */
    public boolean writeEncoded(ByteBuf encoded, int messages) {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        if (ch == null) {
            encoded.release();
            return false;
        }
        // Encoded messages are UPDATEs in practice (encode-once fan-out), so they count as such.
        messagesSent.addAndGet(messages);
        updatesSent.addAndGet(messages);
        ch.writeAndFlush(encoded, ch.voidPromise());
        // RFC 4271 section 8.2.2: the KeepaliveTimer restarts on an UPDATE sent. While UPDATEs stream
        // out, restarting it once per KEEPALIVE_RESTART_NANOS is enough: at worst a KEEPALIVE goes
        // that much earlier than needed, never later.
        long now = System.nanoTime();
        if (now - lastKeepaliveRestart >= KEEPALIVE_RESTART_NANOS) {
            lastKeepaliveRestart = now;
            updateSent(c);
        }
        return true;
    }

    /** See {@link #writeEncoded(ByteBuf, int)}. */
    static final long KEEPALIVE_RESTART_NANOS = 250_000_000L;
    private volatile long lastKeepaliveRestart = System.nanoTime() - KEEPALIVE_RESTART_NANOS;

    /** A snapshot of this peer's counters. */
    public SessionStats stats() {
        return new SessionStats(messagesReceived.get(), messagesSent.get(), updatesReceived.get(), updatesSent.get(),
                establishedTransitions, establishedSinceMillis, lastDownReason, lastNotification);
    }

    void countSent(BgpMessage m) {
        messagesSent.incrementAndGet();
        if (m instanceof UpdateMessage) updatesSent.incrementAndGet();
    }

    /** What a connection received in one read (its counts are added at the end of each read). */
    void countReceived(int messages, int updates) {
        messagesReceived.addAndGet(messages);
        if (updates > 0) updatesReceived.addAndGet(updates);
    }

    public boolean isWritable() {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        return ch != null && ch.isWritable();
    }

    /** Bytes that can be written before the Established connection stops being writable; 0 when it is not. */
    public long bytesBeforeUnwritable() {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        return ch == null ? 0 : ch.bytesBeforeUnwritable();
    }

    /**
     * Stops ({@code false}) or resumes ({@code true}) reading from the Established connection (Netty
     * auto-read): inbound flow control when the layer above falls behind. Keep pauses short: while
     * paused, KEEPALIVEs are not read either, and the hold timer runs.
     */
    public void setAutoRead(boolean read) {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        if (ch != null) ch.config().setAutoRead(read);
    }

    /** Runs {@code r} on the event loop whenever the Established connection's writability changes. */
    public void onWritabilityChanged(Runnable r) {
        writabilityListeners.add(r);
    }

    /** Local end of the Established TCP connection (the daemon's NEXT_HOP), or null. */
    public InetSocketAddress localAddress() {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    public InetSocketAddress remoteAddress() {
        Connection c = established;
        Channel ch = c == null ? null : c.channel;
        return ch == null ? null : (InetSocketAddress) ch.remoteAddress();
    }

    @Override
    public String toString() {
        return "BgpSession[" + name() + " " + settings.remoteAddress().getHostAddress() + " as " + settings.remoteAsn()
                + " " + state + "]";
    }

    // ---- below: on the event loop only ----

    EventLoop loop() {
        return loop;
    }

    void start() {
        main.handle(new FsmEvent.ManualStart());
    }

    /** ManualStop on every connection of this peer; with {@code remove} the peer never restarts. */
    void stop(FsmEvent.ManualStop stop, boolean remove) {
        removed |= remove;
        if (second != null) second.handle(stop);
        main.handle(stop);
        if (remove) main.cancelTimers();
    }

    /** Channels still open, for a bounded wait at shutdown. */
    List<Channel> openChannels() {
        return java.util.stream.Stream.of(main, second)
                .filter(c -> c != null && c.channel != null).map(c -> c.channel).toList();
    }

    /**
     * An incoming connection for this peer (RFC 4271 section 8.2.2 event 17). While our own
     * connection is pending or open, the incoming one runs its own FSM until an OPEN decides which
     * survives (section 6.8): closing our pending connect instead would let two speakers that
     * connect at the same time close each other's connection, again and again.
     *
     * <p>While Established: a peer that negotiated Graceful Restart has restarted (RFC 4724
     * section 4.2), and its new connection replaces the session. Without Graceful Restart the new
     * connection is refused with Cease / Connection Collision Resolution (section 6.8: the
     * Established connection always wins). BIRD and FRR accept it and let the OPEN decide; the
     * outcome is the same. Either way a peer that restarted without Graceful Restart is back only
     * once our HoldTimer has noticed that its old connection is dead.
     */
    void accept(Channel ch) {
        SessionState s = main.fsm.state();
        if (!removed && s == SessionState.ESTABLISHED && main.fsm.negotiated().peerGracefulRestart() != null) {
            peerRestarted(ch);
        } else if (removed || s == SessionState.IDLE) {
            // RFC 4271 section 8.2.2: in Idle all incoming connections are refused.
            log.info("peer={} addr={} refusing connection in state {}", name(), addr(), s);
            ch.close();
        } else if ((s == SessionState.CONNECT || s == SessionState.ACTIVE) && main.channel == null) {
            main.attach(ch, false);
            main.handle(new FsmEvent.TcpConnectionConfirmed());
        } else if (s != SessionState.ESTABLISHED && second == null) {
            second = new Connection(this, new SessionFsm(settings, backoff));
            second.fsm.setAutoRestart(false);
            second.attach(ch, false);
            SessionState before = second.fsm.state();
            second.execute(second.fsm.startOnAcceptedConnection());
            afterEvent(second, before);
        } else {
            // RFC 4271 section 6.8: a collision with an Established session closes the new connection.
            log.info("peer={} addr={} refusing another connection in state {}", name(), addr(), s);
            ch.writeAndFlush(BgpMessageCodec.encode(NotificationMessage.cease(NotificationMessage.CEASE_CONNECTION_COLLISION),
                    SessionCodecContext.INITIAL, ch.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * RFC 4724 section 4.2: the Established session ends without a NOTIFICATION (Down with
     * {@link Reason#PEER_RESTARTED} and no notification, so the routes stay, stale), and the peer's
     * new connection becomes the main one.
     */
    private void peerRestarted(Channel ch) {
        log.info("peer={} addr={} as={} new connection while Established: peer restarted (graceful restart)",
                name(), addr(), settings.remoteAsn());
        if (second != null) {
            second.dismiss();
            second = null;
        }
        main.handle(new FsmEvent.PeerRestarted());
        main.cancelTimers();
        main = new Connection(this, new SessionFsm(settings, backoff));
        main.attach(ch, false);
        SessionState before = main.fsm.state();
        main.execute(main.fsm.startOnAcceptedConnection());
        main.fsm.promote();
        afterEvent(main, before);
    }

    /** FsmAction.Connect: an outgoing TCP connection from the configured local address. */
    void connect(Connection c) {
        if (c.channel != null) c.channel.close();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(speaker.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectRetrySeconds() * 1000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) { }
                });
        InetSocketAddress remote = new InetSocketAddress(settings.remoteAddress(), settings.remotePort());
        ChannelFuture f = settings.localAddress() == null ? b.connect(remote)
                : b.connect(remote, new InetSocketAddress(settings.localAddress(), 0));
        Channel ch = f.channel();
        c.attach(ch, true);
        f.addListener(done -> {
            if (done.isSuccess()) {
                c.tcpConnected(ch);
            } else {
                ch.close();
                c.tcpFailed(ch, done.cause());
            }
        });
    }

    /** Bookkeeping after any event on either connection: forget or promote the second one. */
    void afterEvent(Connection c, SessionState before) {
        if (second != null && second.fsm.state() == SessionState.IDLE) {
            second.cancelTimers();
            second = null;
        }
        if (main.fsm.state() == SessionState.IDLE && second != null && !removed) {
            // The main connection lost (collision or error) while a second one is alive: it takes over.
            main.cancelTimers();
            main = second;
            second = null;
            main.fsm.promote();
            publishState(main.fsm.state());
            speaker.emit(new SessionEvent.StateChanged(name(), SessionState.IDLE, main.fsm.state(), Reason.COLLISION));
        }
    }

    /**
     * RFC 4271 section 6.8, on receipt of an OPEN on {@code c} while the peer has another connection:
     * dumps the loser (Cease, Connection Collision Resolution). Returns true when {@code c} itself
     * lost, and the OPEN must not be processed.
     */
    boolean resolveCollision(Connection c, OpenMessage open) {
        Connection other = c == main ? second : main;
        if (other == null) return false;
        SessionState o = other.fsm.state();
        Connection loser;
        if (o == SessionState.ESTABLISHED) {
            // A collision with an Established session closes the new connection.
            loser = c;
        } else if (o == SessionState.OPEN_SENT || o == SessionState.OPEN_CONFIRM) {
            // Both connections go to the same configured peer, so this OPEN's identifier is its identifier.
            boolean cLoses = CollisionResolver.loses(c.outgoing, settings.routerId(), open.bgpId(),
                    settings.localAsn(), open.asn());
            loser = cLoses ? c : other;
        } else {
            return false;
        }
        log.info("peer={} addr={} connection collision: closing the {} connection", name(), addr(),
                loser.outgoing ? "outgoing" : "incoming");
        loser.handle(new FsmEvent.OpenCollisionDump());
        return loser == c;
    }

    void stateChanged(Connection c, FsmAction.StateChanged s) {
        log.info("peer={} addr={} as={} state {}->{} reason={}{}", name(), addr(), settings.remoteAsn(),
                s.from(), s.to(), s.reason(), c == main ? "" : " (second connection)");
        if (c == main) {
            publishState(s.to());
            speaker.emit(new SessionEvent.StateChanged(name(), s.from(), s.to(), s.reason()));
        }
    }

    private void publishState(SessionState s) {
        state = s;
    }

    void up(Connection c, NegotiatedSession n) {
        if (c != main) {
            // The second connection came up while ours was still connecting or waiting for an OPEN:
            // the peer chose this one, so ours goes (with Cease/7 if it got as far as sending an OPEN).
            SessionState old = main.fsm.state();
            if (old == SessionState.OPEN_SENT) {
                main.handle(new FsmEvent.OpenCollisionDump()); // afterEvent then promotes c
            } else {
                main.dismiss();
                main = c;
                second = null;
                main.fsm.promote();
                publishState(SessionState.ESTABLISHED);
                speaker.emit(new SessionEvent.StateChanged(name(), old, SessionState.ESTABLISHED, Reason.COLLISION));
            }
        }
        negotiated = n;
        established = c;
        establishedTransitions++;
        establishedSinceMillis = System.currentTimeMillis();
        log.info("peer={} addr={} as={} established: hold={} families={} 4-octet-as={} ext-msg={} add-path rx={} tx={}",
                name(), addr(), n.peerAsn(), n.holdTime(), n.families(), n.fourOctetAs(), n.extendedMessages(),
                n.addPathReceive(), n.addPathSend());
        speaker.emit(new SessionEvent.Established(name(), n));
    }

    void down(Connection c, FsmAction.SessionDown d) {
        if (established == c) {
            established = null;
            negotiated = null;
        }
        establishedSinceMillis = 0;
        lastDownReason = d.reason();
        lastNotification = d.notification();
        speaker.emit(new SessionEvent.Down(name(), d.reason(), d.notification()));
    }

    void deliver(BgpMessage m) {
        if (m instanceof UpdateMessage u) {
            deliverUpdate(u);
        } else if (m instanceof RouteRefreshMessage rr) {
            if (!rr.knownSubtype()) {
                // RFC 7313 section 5: an unknown subtype is ignored.
                log.info("peer={} ignoring ROUTE-REFRESH subtype {}", name(), rr.subtype());
                return;
            }
            speaker.emit(new SessionEvent.RouteRefreshReceived(name(), rr.afiSafi(), rr.subtype()));
        }
    }

    void deliverUpdate(UpdateMessage u) {
        speaker.emit(new SessionEvent.UpdateReceived(name(), u));
    }

    /** The end of one read from a connection of this peer: {@link SessionListener#readComplete}. */
    void readComplete() {
        speaker.readComplete(name());
    }

    void writabilityChanged() {
        for (Runnable r : writabilityListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("peer={} writability listener failed", name(), e);
            }
        }
    }

    private String addr() {
        return settings.remoteAddress().getHostAddress();
    }
}
