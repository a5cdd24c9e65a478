package dev.ixora.fsm;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BGP speaker: listens, connects, and runs one {@link BgpSession} per configured peer over
 * Netty (epoll when available, NIO otherwise). Each peer is pinned to one event loop; an incoming
 * connection is registered straight onto its peer's loop, so a session never crosses threads.
 */
public final class BgpSpeaker {
    private static final Logger log = LoggerFactory.getLogger(BgpSpeaker.class);
    private static final long SHUTDOWN_MILLIS = 5_000;

    private final SpeakerSettings settings;
    private final SessionListener listener;
    private final boolean epoll = Epoll.isAvailable();
    private final MultiThreadIoEventLoopGroup group;
    private final Map<String, BgpSession> peers = new ConcurrentHashMap<>();
    private final List<Channel> servers = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean stopped;

    public BgpSpeaker(SpeakerSettings settings, SessionListener listener) {
        this.settings = settings;
        this.listener = listener;
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), io);
    }

    public SpeakerSettings settings() {
        return settings;
    }

    /** Binds every listen address (SO_REUSEADDR) and starts the peers added so far. */
    public synchronized void start() throws InterruptedException {
        if (started) throw new IllegalStateException("already started");
        for (InetSocketAddress addr : settings.listen()) {
            Class<? extends ServerChannel> cls = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            Channel server = new ServerBootstrap()
                    .group(group, group)
                    .channel(cls)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new Acceptor())
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(addr).sync().channel();
            servers.add(server);
            log.info("listening on {} ({})", server.localAddress(), epoll ? "epoll" : "nio");
        }
        started = true;
        for (BgpSession s : peers.values()) s.loop().execute(s::start);
    }

    /** The addresses actually bound (with the real port where 0 was asked for). */
    public List<InetSocketAddress> boundAddresses() {
        return servers.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /**
     * Adds and (once the speaker runs) starts a peer. A localAsn or routerId of 0 in the settings is
     * replaced by the speaker's.
     */
    public BgpSession addPeer(PeerSettings peer) {
        if (stopped) throw new IllegalStateException("speaker is shut down");
        PeerSettings.Builder b = peer.toBuilder();
        if (peer.localAsn() == 0) b.localAsn(settings.localAsn());
        if (peer.routerId() == 0) b.routerId(settings.routerId());
        PeerSettings resolved = b.build();
        BgpSession session = new BgpSession(resolved, group.next(), this);
        if (peers.putIfAbsent(resolved.name(), session) != null) {
            throw new IllegalArgumentException("peer " + resolved.name() + " exists");
        }
        if (started) session.loop().execute(session::start);
        return session;
    }

    /** Stops the peer with Cease / Peer De-configured (RFC 4486) carrying {@code reason}, and forgets it. */
    public void removePeer(String name, String reason) {
        BgpSession s = peers.remove(name);
        if (s == null) return;
        s.loop().execute(() -> s.stop(new FsmEvent.ManualStop(
                dev.ixora.codec.NotificationMessage.CEASE_PEER_DECONFIGURED, reason, Reason.PEER_REMOVED), true));
    }

    public Collection<BgpSession> peers() {
        return List.copyOf(peers.values());
    }

    public BgpSession session(String name) {
        return peers.get(name);
    }

    /**
     * Sends every session in OpenSent, OpenConfirm or Established a Cease / Administrative Shutdown
     * with {@code reason} as the RFC 8203 communication, waits (bounded) for those to be flushed and
     * the connections closed, and stops the event loops. Blocks for at most about 6 s; must not be
     * called from a session event loop (a {@link SessionListener}).
     */
    public void shutdown(String reason) {
        for (io.netty.util.concurrent.EventExecutor e : group) {
            if (e.inEventLoop()) throw new IllegalStateException("shutdown() would wait on its own event loop");
        }
        if (stopped) return;
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
        List<Channel> closing = new ArrayList<>();
        servers.forEach(Channel::close);
        for (BgpSession s : peers.values()) {
            try {
                closing.addAll(s.loop().submit(() -> {
                    List<Channel> open = s.openChannels();
                    s.stop(new FsmEvent.ManualStop(dev.ixora.codec.NotificationMessage.CEASE_ADMIN_SHUTDOWN, reason,
                            Reason.SHUTDOWN), true);
                    return open;
                }).get(remainingMillis(deadline), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                log.warn("peer={} did not stop in time: {}", s.name(), e.toString());
            }
        }
        for (Channel ch : closing) ch.closeFuture().awaitUninterruptibly(remainingMillis(deadline));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(remainingMillis(deadline) + 1000);
        log.info("speaker shut down: {}", reason);
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    Class<? extends SocketChannel> socketChannelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    void emit(SessionEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            log.warn("peer={} session listener failed on {}", e.peer(), e.getClass().getSimpleName(), ex);
        }
    }

    void readComplete(String peer) {
        try {
            listener.readComplete(peer);
        } catch (RuntimeException ex) {
            log.warn("peer={} session listener failed at the end of a read", peer, ex);
        }
    }

    /** The configured peer an incoming connection belongs to, or null. */
    BgpSession match(InetSocketAddress remote, InetSocketAddress local) {
        InetAddress r = unmap(remote.getAddress());
        InetAddress l = unmap(local.getAddress());
        BgpSession fallback = null;
        for (BgpSession s : peers.values()) {
            PeerSettings p = s.settings();
            if (!unmap(p.remoteAddress()).equals(r)) continue;
            if (p.localAddress() != null && !unmap(p.localAddress()).equals(l)) continue;
            if (p.localPort() != 0 && p.localPort() != local.getPort()) continue;
            // A peer bound to this local address beats one that takes any.
            if (p.localAddress() != null) return s;
            if (fallback == null) fallback = s;
        }
        return fallback;
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, from a dual-stack socket) as plain IPv4. */
    static InetAddress unmap(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    /**
     * Sits in front of ServerBootstrap's acceptor: registers each accepted connection on the event
     * loop of the peer it belongs to (instead of any loop), or closes it when no peer matches.
     */
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            InetSocketAddress remote = (InetSocketAddress) child.remoteAddress();
            InetSocketAddress local = (InetSocketAddress) child.localAddress();
            BgpSession s = remote == null || local == null ? null : match(remote, local);
            if (s == null || stopped) {
                log.warn("refusing connection from {} to {}: no such peer", remote, local);
                child.unsafe().closeForcibly();
                return;
            }
            child.config().setOption(ChannelOption.TCP_NODELAY, true);
            // The session's handlers go in while the channel registers, before it reads a byte: a
            // peer's OPEN often arrives with the handshake (OpenBGPD sends it as soon as its connect
            // completes). Handing the channel over in a listener on the register future instead lost
            // that OPEN whenever the peer's loop finished registering and read the socket before this
            // thread added the listener: the listener then ran as a later task, the OPEN went down an
            // empty pipeline, and the peer's KEEPALIVE hit OpenSent as an FSM error.
            child.pipeline().addLast(new SessionHandOver(s));
            EventLoop loop = s.loop();
            loop.register(child).addListener(f -> {
                if (!f.isSuccess()) {
                    log.warn("peer={} could not register connection: {}", s.name(), String.valueOf(f.cause()));
                    child.unsafe().closeForcibly();
                }
            });
        }
    }

    /**
     * Runs on the peer's event loop during registration (Netty calls handlerAdded before it
     * completes the register future and before channelActive starts reading), hands the channel to
     * its session, and leaves the pipeline.
     */
    private static final class SessionHandOver extends ChannelInitializer<Channel> {
        private final BgpSession session;

        SessionHandOver(BgpSession session) {
            this.session = session;
        }

        @Override
        protected void initChannel(Channel ch) {
            session.accept(ch);
        }
    }
}
