package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.Capability;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.ConfigLoader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warm-up. The JVM runs new code interpreted until its JIT has compiled it; a route server
 * meets its heaviest work right after a (re)start, when every member sends its whole table at
 * once. So before the configured sessions open, {@code ixora run} starts a scratch route server on
 * loopback with three local clients: two announce the same synthetic table (IPv4 and IPv6,
 * several attribute sets, so two paths per prefix for the decision process) and withdraw it one
 * after the other, the third receives it. That goes through the very code the real
 * sessions use (Netty, the FSM, the codec, the rib, the route-server export), which is then
 * compiled. It takes well under a second of CPU; {@code IXORA_WARMUP=0} (or {@code run
 * --no-warm-up}) skips it, and it is skipped, with a log line, when loopback does not work (a
 * namespace without {@code lo} up). The scratch server's own log lines name its peers
 * {@code warm-up-a}, {@code -b} and {@code -c}. Prefixes are from 198.18.0.0/15 and 2001:db8::/32 and
 * never leave the loopback connection.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final SessionCodecContext CTX = new SessionCodecContext(true, Set.of(), Set.of(), false);
    static final int DEFAULT_ROUTES = 32_768;
    /**
     * UPDATEs sent one write each at the start of a client's announcements and withdrawals: a C1
     * method is compiled after a few hundred calls, and the per-read and per-write code of Netty
     * and of the export pump runs once per read or write, not once per UPDATE.
     */
    static final int TRICKLE = 1_500;
    private static final long ASN_A = 64601;
    private static final long ASN_B = 64602;
    private static final long ASN_C = 64603;

    private WarmUp() {}

    /** Whether the environment asks for it ({@code IXORA_WARMUP} unset, or anything but 0/false/no/off). */
    static boolean enabled(String env) {
        if (env == null || env.isBlank()) return true;
        String v = env.trim().toLowerCase(java.util.Locale.ROOT);
        return !(v.equals("0") || v.equals("false") || v.equals("no") || v.equals("off"));
    }

    /**
     * Runs the warm-up with about {@code routes} routes (rounded to whole IPv4 and IPv6 blocks), giving
     * up after {@code limitMillis}. Never throws: a warm-up that cannot run is logged and skipped.
     * Returns the number of routes the receiving client got (announced, then withdrawn).
     */
    static int run(int routes, long limitMillis) {
        long t0 = System.nanoTime();
        long deadline = t0 + limitMillis * 1_000_000L;
        Daemon daemon = null;
        Client a = null;
        Client b = null;
        Client c = null;
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            String yaml = """
                    router: {asn: 64512, router-id: 198.18.0.1, listen: ["127.0.0.1:%d"], hold-time: 90}
                    route-server: true
                    peers:
                      - {name: warm-up-a, address: 127.0.0.2, asn: %d, passive: true, families: [ipv4-unicast, ipv6-unicast]}
                      - {name: warm-up-b, address: 127.0.0.3, asn: %d, passive: true, families: [ipv4-unicast, ipv6-unicast]}
                      - {name: warm-up-c, address: 127.0.0.4, asn: %d, passive: true, families: [ipv4-unicast, ipv6-unicast]}
                    """.formatted(port, ASN_A, ASN_B, ASN_C);
            daemon = new Daemon(ConfigLoader.parse("(warm-up)", yaml), Clock.systemUTC());
            daemon.start();
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            // a loopback that does not connect within 2 s will not: skip rather than delay the start
            long connectBy = Math.min(deadline, System.nanoTime() + 2_000_000_000L);
            a = Client.connect("127.0.0.2", ASN_A, server, connectBy);
            b = Client.connect("127.0.0.3", ASN_B, server, connectBy);
            c = Client.connect("127.0.0.4", ASN_C, server, connectBy);
            // A and B announce the same prefixes, B with longer AS paths: two paths per prefix, A's
            // best; C announces nothing. Everyone reads what the server sends (C counts it).
            List<UpdateMessage> announceA = new ArrayList<>();
            List<UpdateMessage> announceB = new ArrayList<>();
            List<UpdateMessage> withdraw = new ArrayList<>();
            int n = table(routes, ASN_A, 0, announceA, withdraw);
            table(routes, ASN_B, 2, announceB, new ArrayList<>());
            AtomicInteger announced = new AtomicInteger();
            AtomicInteger withdrawn = new AtomicInteger();
            for (Client x : List.of(a, b, c)) {
                AtomicInteger ann = x == c ? announced : new AtomicInteger();
                AtomicInteger wd = x == c ? withdrawn : new AtomicInteger();
                Thread reader = new Thread(() -> x.count(ann, wd), "ixora-warm-up-reader");
                reader.setDaemon(true);
                reader.start();
            }
            // the first UPDATEs one write each: the server then sees many small reads and writes
            // many small UPDATE batches, so Netty's per-read, per-write and event-loop code is
            // compiled too, not only the per-message code
            int first = a.trickle(announceA, announced, 0, deadline);
            a.sendAll(announceA.subList(first, announceA.size()));
            b.sendAll(announceB);
            waitFor(() -> announced.get() >= n, deadline);   // C holds A's paths
            first = a.trickle(withdraw, announced, n, deadline); // A's go: C gets B's instead
            a.sendAll(withdraw.subList(first, withdraw.size()));
            waitFor(() -> announced.get() >= 2 * n, deadline);
            b.sendAll(withdraw);
            waitFor(() -> withdrawn.get() >= n, deadline);   // and then nothing
            boolean done = announced.get() >= 2 * n && withdrawn.get() >= n;
            LOG.info("warm-up: {} prefixes from two clients, announced and withdrawn, through a scratch route server on loopback in {} ms{}",
                    n, (System.nanoTime() - t0) / 1_000_000, done ? "" : " (cut short at the time limit)");
            return done ? n : Math.min(announced.get() / 2, withdrawn.get());
        } catch (Exception e) {
            LOG.info("warm-up skipped: {}", e.toString());
            return 0;
        } finally {
            if (a != null) a.close();
            if (b != null) b.close();
            if (c != null) c.close();
            if (daemon != null) {
                try {
                    Thread.sleep(100); // the sessions see their clients go (no NOTIFICATION to log for them)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                daemon.stop("warm-up done");
                // the scratch table is garbage now: collect it while nothing else runs, so the heap
                // the real sessions start with is the live set, not the warm-up's high tide
                System.gc();
            }
        }
    }

    private interface Condition {
        boolean met();
    }

    private static void waitFor(Condition c, long deadline) throws InterruptedException {
        while (!c.met() && System.nanoTime() < deadline) Thread.sleep(2);
    }

    /**
     * The synthetic table: IPv4 /30s in 198.18.0.0/15 and IPv6 /64s in 2001:db8::/32, four per
     * UPDATE like a full-table dump, with AS paths of one to four hops, some with MED and
     * communities. Fills the two lists; returns how many routes.
     */
    static int table(int routes, long asn, int prepend, List<UpdateMessage> announce, List<UpdateMessage> withdraw) {
        int v4 = Math.min(32_768, Math.max(4, routes / 2)) & ~3;
        int v6 = Math.max(4, routes - v4) & ~3;
        List<List<PathAttribute>> sets = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            List<PathAttribute> attrs = new ArrayList<>();
            attrs.add(PathAttribute.Origin.IGP_ORIGIN);
            long[] path = new long[1 + prepend + k % 4];
            for (int h = 0; h <= prepend; h++) path[h] = asn;
            for (int h = prepend + 1; h < path.length; h++) path[h] = 64700 + k * 4 + h;
            attrs.add(AsPath.sequence(path));
            attrs.add(new PathAttribute.NextHop(0xC6120002)); // 198.18.0.2, never used outside this session
            if (k % 2 == 1) attrs.add(new PathAttribute.Med(k * 10L));
            if (k % 3 == 0) attrs.add(new PathAttribute.Communities(new int[] {(int) (asn << 16 | k), 0xFFFFFF01}));
            sets.add(attrs);
        }
        for (int i = 0; i < v4; i += 4) {
            List<Nlri> nlri = new ArrayList<>(4);
            for (int j = i; j < i + 4; j++) nlri.add(new Nlri(Prefix.ipv4(0xC6120000 + (j << 2), 30)));
            announce.add(UpdateMessage.announce(sets.get((i / 4) % sets.size()), nlri));
            withdraw.add(new UpdateMessage(nlri, List.of(), List.of()));
        }
        byte[] nextHop6 = new byte[16];
        nextHop6[0] = 0x20;
        nextHop6[1] = 0x01;
        nextHop6[2] = 0x0d;
        nextHop6[3] = (byte) 0xb8;
        nextHop6[15] = 2;
        for (int i = 0; i < v6; i += 4) {
            List<Nlri> nlri = new ArrayList<>(4);
            for (int j = i; j < i + 4; j++) nlri.add(new Nlri(Prefix.of(true, 0x20010DB800000000L | (j + 1L) << 16, 0, 64)));
            List<PathAttribute> attrs = new ArrayList<>(sets.get((i / 4) % sets.size()));
            attrs.removeIf(x -> x instanceof PathAttribute.NextHop);
            attrs.add(new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, nextHop6, nlri));
            announce.add(new UpdateMessage(List.of(), attrs, List.of()));
            withdraw.add(new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, nlri)), List.of()));
        }
        return v4 + v6;
    }

    /** A local BGP client over a plain socket: OPEN with hold time 0 (no keepalives), then UPDATEs. */
    private static final class Client {
        private final Socket socket = new Socket();
        private final DataInputStream in;
        private final OutputStream out;

        private Client(String address, long asn, InetSocketAddress server) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            socket.connect(server, 2_000);
            socket.setSoTimeout(5_000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            List<Capability> caps = List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                    new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST), new Capability.FourOctetAs(asn));
            send(new OpenMessage(4, (int) asn, 0, asn, caps));
            out.flush();
            readFrame(); // OPEN
            send(KeepaliveMessage.INSTANCE);
            out.flush();
            readFrame(); // KEEPALIVE: Established
        }

        /** Connects, retrying while the scratch server is not listening or still refuses the peer. */
        static Client connect(String address, long asn, InetSocketAddress server, long deadline) throws Exception {
            while (true) {
                try {
                    return new Client(address, asn, server);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(20);
                }
            }
        }

        void send(BgpMessage m) throws IOException {
            ByteBuf buf = BgpMessageCodec.encode(m, CTX, ByteBufAllocator.DEFAULT);
            try {
                buf.readBytes(out, buf.readableBytes());
            } finally {
                buf.release();
            }
        }

        void sendAll(List<UpdateMessage> updates) throws IOException {
            for (UpdateMessage u : updates) send(u);
            out.flush();
        }

        /**
         * Sends up to {@link #TRICKLE} of the UPDATEs one at a time, each after the receiving client
         * got the previous one's prefixes ({@code received} counted from {@code base}): one UPDATE
         * per read, per RIB batch and per export write. Returns how many it sent.
         */
        int trickle(List<UpdateMessage> updates, AtomicInteger received, int base, long deadline) throws IOException {
            int sent = 0;
            int expected = base;
            for (UpdateMessage u : updates) {
                if (sent == TRICKLE || u.announced().size() != 4 && u.withdrawnAll().size() != 4) break;
                send(u);
                out.flush();
                sent++;
                expected += 4; // C gets one announcement per prefix (A's, then B's after A withdraws)
                while (received.get() < expected) {
                    if (System.nanoTime() > deadline) return sent;
                    Thread.yield();
                }
            }
            return sent;
        }

        private byte[] readFrame() throws IOException {
            byte[] header = new byte[19];
            in.readFully(header);
            int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
            if (length < 19) throw new IOException("bad BGP length " + length);
            byte[] all = new byte[length];
            System.arraycopy(header, 0, all, 0, 19);
            in.readFully(all, 19, length - 19);
            return all;
        }

        /** Reader thread: counts announced and withdrawn prefixes until the socket closes. */
        void count(AtomicInteger announced, AtomicInteger withdrawn) {
            try {
                while (true) {
                    ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(readFrame());
                    try {
                        if (BgpMessageCodec.decode(b, CTX) instanceof dev.ixora.codec.DecodeResult.Decoded d
                                && d.message() instanceof UpdateMessage u) {
                            announced.addAndGet(u.announced().size());
                            withdrawn.addAndGet(u.withdrawnAll().size());
                        }
                    } finally {
                        b.release();
                    }
                }
            } catch (IOException closed) {
                // the warm-up is over (or timed out): nothing more to count
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback socket
            }
        }
    }
}
