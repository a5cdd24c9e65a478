// Ixora benchmark load generator: N BGP client peers and one monitor against one route server.
//
// Standalone on purpose (JDK only, no project modules): it writes raw BGP bytes, so it measures the
// route server under test and nothing of Ixora's own codec. Run with `java LoadGen.java --help`.
//
// Scenario: peer i (0-based) belongs to group g = i / K with rank j = i % K. Every peer of group g
// announces the same M IPv4 /24s (group g owns prefix indexes g*M .. g*M+M-1), 4 prefixes per
// UPDATE, with AS_PATH = its own ASN repeated 1 + j times. The expected best path of every prefix at
// the monitor is therefore the rank-0 peer's one-AS path (RFC 4271 §9.1.2.2 step a: shortest AS_PATH;
// all other attributes tie or come later). The monitor is a passive route-server client that
// announces nothing; convergence is the first moment it holds every prefix with that path.
//
// Output: one line starting with "RESULT " and key=value pairs, read by bench/run.

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

public final class LoadGen {

    // Announced prefixes are data only (never routed to): /24s counted up from 32.0.0.0.
    static final int PREFIX_BASE = 0x20_00_00; // 32.0.0.0 >> 8
    static final int PREFIXES_PER_UPDATE = 4;
    static final int MONITOR_ASN = 64999;
    static final int FIRST_CLIENT_ASN = 65001;
    static final int AS_TRANS = 23456; // RFC 6793 §9
    static final int OFFERED_HOLD_TIME = 180;

    record Options(String server, int port, int peers, int prefixes, int group, String monitor,
                   int timeoutSeconds, int establishSeconds, long serverPid, boolean printPeers,
                   int clkTck, int settleMillis, int stallSeconds) {
        Options {
            if (peers < 1) throw new IllegalArgumentException("--peers must be >= 1");
            if (prefixes < 1) throw new IllegalArgumentException("--prefixes must be >= 1");
            if (group < 1 || peers % group != 0)
                throw new IllegalArgumentException("--group must divide --peers");
            if (FIRST_CLIENT_ASN + peers > 65535)
                throw new IllegalArgumentException("at most " + (65535 - FIRST_CLIENT_ASN) + " peers");
            if ((long) (peers / group) * prefixes > 0x100000)
                throw new IllegalArgumentException("at most 2^20 distinct prefixes");
        }

        int groups() { return peers / group; }
        int totalPrefixes() { return groups() * prefixes; }

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            boolean print = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--print-peers")) { print = true; continue; }
                if (a.equals("--help") || a.equals("-h")) { usage(); System.exit(0); }
                if (!a.startsWith("--") || i + 1 >= args.length) { usage(); System.exit(2); }
                m.put(a.substring(2), args[++i]);
            }
            return new Options(m.getOrDefault("server", "198.18.0.1"),
                    Integer.parseInt(m.getOrDefault("port", "179")),
                    Integer.parseInt(m.getOrDefault("peers", "10")),
                    Integer.parseInt(m.getOrDefault("prefixes", "1000")),
                    Integer.parseInt(m.getOrDefault("group", "1")),
                    m.getOrDefault("monitor", "198.18.0.2"),
                    Integer.parseInt(m.getOrDefault("timeout", "300")),
                    Integer.parseInt(m.getOrDefault("establish-timeout", "120")),
                    Long.parseLong(m.getOrDefault("pid", "0")),
                    print,
                    Integer.parseInt(m.getOrDefault("clk-tck", "100")),
                    Integer.parseInt(m.getOrDefault("settle-ms", "1000")),
                    Integer.parseInt(m.getOrDefault("stall-timeout", "90")));
        }

        static void usage() {
            System.err.println("""
                    usage: java LoadGen.java [--server 198.18.0.1] [--port 179] [--peers N] [--prefixes M]
                                             [--group K] [--monitor 198.18.0.2] [--timeout S]
                                             [--establish-timeout S] [--pid SERVER_PID] [--clk-tck 100]
                                             [--settle-ms 1000] [--stall-timeout 90] [--print-peers]
                      --stall-timeout: give up when every UPDATE was written and the monitor has received
                                       nothing for that many seconds.
                      --print-peers prints "ADDRESS ASN" per client peer (for daemon configs) and exits.""");
        }
    }

    /** Client peer i's source address: 198.18.(1 + i/250).(1 + i%250); the server is 198.18.0.1. */
    static String peerAddress(int i) {
        return "198.18." + (1 + i / 250) + "." + (1 + i % 250);
    }

    static int peerAsn(int i) {
        return FIRST_CLIENT_ASN + i;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.printPeers()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < o.peers(); i++) sb.append(peerAddress(i)).append(' ').append(peerAsn(i)).append('\n');
            System.out.print(sb);
            return;
        }
        System.exit(new LoadGen(o).run());
    }

    private final Options o;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch converged = new CountDownLatch(1);
    private volatile long t0;
    private volatile long convergedAt;
    private Monitor monitor;

    LoadGen(Options o) {
        this.o = o;
    }

    int run() throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(o.server()), o.port());
        long establishDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.establishSeconds());

        // 1. Sessions: the monitor, then all clients in parallel.
        long tEst = System.nanoTime();
        Session mon = new Session("monitor", InetAddress.getByName(o.monitor()), MONITOR_ASN);
        List<Session> clients = new ArrayList<>();
        for (int i = 0; i < o.peers(); i++) {
            clients.add(new Session("peer" + i, InetAddress.getByName(peerAddress(i)), peerAsn(i)));
        }
        List<Session> all = new ArrayList<>(clients);
        all.add(0, mon);
        List<Thread> openers = new ArrayList<>();
        for (Session s : all) {
            Thread t = new Thread(() -> {
                try {
                    s.open(server, establishDeadline);
                } catch (Exception e) {
                    failure.compareAndSet(null, s.name + " " + s.local.getHostAddress() + ": " + e.getMessage());
                }
            }, "open-" + s.name);
            t.start();
            openers.add(t);
        }
        for (Thread t : openers) t.join();
        if (failure.get() != null) {
            return result(false, "session setup failed: " + failure.get(), null, null);
        }
        double establishedSeconds = (System.nanoTime() - tEst) / 1e9;
        log("all %d sessions established in %.2f s", all.size(), establishedSeconds);

        // 2. Readers (monitor decodes, clients drain) and keepalives.
        monitor = new Monitor(mon);
        daemon(monitor::run, "read-monitor");
        for (Session s : clients) daemon(() -> drain(s), "read-" + s.name);
        daemon(() -> keepalives(all), "keepalive");

        // 3. Precompute every client's UPDATE stream so sending costs no CPU during the run.
        byte[][] streams = new byte[o.peers()][];
        for (int i = 0; i < o.peers(); i++) streams[i] = updates(i, clients.get(i).as4);
        warmUp(mon, streams);
        Thread.sleep(o.settleMillis()); // let the server finish its session-up work
        if (failure.get() != null) return result(false, failure.get(), null, null);

        // 4. Go: all clients write concurrently; t0 is just before the first UPDATE byte is written.
        ProcStats before = ProcStats.read(o.serverPid(), o.clkTck());
        List<Thread> writers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        long[] doneAt = new long[o.peers()];
        for (int i = 0; i < o.peers(); i++) {
            final int idx = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    clients.get(idx).writeStream(streams[idx]);
                    doneAt[idx] = System.nanoTime();
                } catch (Exception e) {
                    failure.compareAndSet(null, clients.get(idx).name + " write: " + e.getMessage());
                    converged.countDown();
                }
            }, "write-peer" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
        t0 = System.nanoTime();
        monitor.armed = true;
        start.countDown();

        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
        long stallNanos = TimeUnit.SECONDS.toNanos(o.stallSeconds());
        long lastUpdates = -1, lastProgress = System.nanoTime();
        while (converged.getCount() > 0 && System.nanoTime() < deadline) {
            converged.await(500, TimeUnit.MILLISECONDS);
            if (serverGone()) {
                failure.compareAndSet(null, "server process " + o.serverPid() + " exited");
                break;
            }
            // Stalled: everything was written, and the monitor has heard nothing new for a while.
            long now = System.nanoTime();
            if (monitor.updates != lastUpdates) { lastUpdates = monitor.updates; lastProgress = now; }
            boolean allSent = true;
            for (Thread w : writers) allSent &= !w.isAlive();
            if (allSent && now - lastProgress > stallNanos && converged.getCount() > 0) {
                failure.compareAndSet(null, "stalled: all UPDATEs sent and the monitor received nothing for "
                        + o.stallSeconds() + " s");
                break;
            }
        }
        ProcStats after = ProcStats.read(o.serverPid(), o.clkTck());
        long sentAt = 0;
        for (long d : doneAt) sentAt = d == 0 ? Long.MAX_VALUE : Math.max(sentAt, d);
        boolean ok = convergedAt != 0 && failure.get() == null;
        String why = ok ? null : failure.get() != null ? failure.get() : "timeout after " + o.timeoutSeconds() + " s";
        Map<String, String> extra = new HashMap<>();
        extra.put("established_seconds", fmt(establishedSeconds));
        extra.put("sent_seconds", sentAt == Long.MAX_VALUE ? "na" : fmt((sentAt - t0) / 1e9));
        return result(ok, why, before, after, extra);
    }

    /** JIT-compile the monitor's decoder on the clients' own UPDATEs, so the monitor is not the bottleneck. */
    void warmUp(Session mon, byte[][] streams) {
        Monitor scratch = new Monitor(mon);
        int budget = 300_000;
        for (int round = 0; budget > 0 && round < 3; round++) {
            for (byte[] st : streams) {
                for (int p = 0; p < st.length && budget > 0; budget--) {
                    int len = u16(st, p + 16);
                    scratch.update(java.util.Arrays.copyOfRange(st, p + 19, p + len));
                    p += len;
                }
            }
        }
    }

    boolean serverGone() {
        return o.serverPid() > 0 && !Files.exists(Path.of("/proc/" + o.serverPid()));
    }

    int result(boolean ok, String why, ProcStats before, ProcStats after) {
        return result(ok, why, before, after, Map.of());
    }

    int result(boolean ok, String why, ProcStats before, ProcStats after, Map<String, String> extra) {
        StringBuilder sb = new StringBuilder("RESULT");
        sb.append(" converged=").append(ok);
        sb.append(" seconds=").append(ok ? fmt((convergedAt - t0) / 1e9) : "na");
        if (before != null && after != null) {
            sb.append(" cpu_seconds=").append(fmt(after.cpuSeconds() - before.cpuSeconds()));
            sb.append(" cpu_total_seconds=").append(fmt(after.cpuSeconds()));
            sb.append(" peak_rss_mb=").append(fmt(after.hwmKb() / 1024.0));
            sb.append(" processes=").append(after.processes());
        }
        sb.append(" prefixes=").append(o.totalPrefixes());
        sb.append(" paths_sent=").append((long) o.peers() * o.prefixes());
        if (monitor != null) {
            sb.append(" monitor_correct=").append(monitor.correct);
            sb.append(" monitor_present=").append(monitor.present);
            sb.append(" monitor_updates=").append(monitor.updates);
            sb.append(" monitor_unexpected=").append(monitor.unexpected);
            if (!ok && monitor.sampleWrong != null) sb.append(" sample_wrong=\"").append(monitor.sampleWrong).append('"');
        }
        extra.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        // The load generator's own CPU since it started (it shares the machine with the server).
        ProcessHandle.current().info().totalCpuDuration()
                .ifPresent(d -> sb.append(" loadgen_cpu_seconds=").append(fmt(d.toMillis() / 1000.0)));
        if (why != null) sb.append(" error=\"").append(why.replace('"', '\'')).append('"');
        System.out.println(sb);
        System.out.flush();
        return ok ? 0 : 1;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static void log(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "loadgen: " + fmt + "%n", args);
    }

    static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------- UPDATE generation

    /** All UPDATEs of client peer i, back to back. */
    byte[] updates(int i, boolean as4) {
        int g = i / o.group();
        int rank = i % o.group();
        int asn = peerAsn(i);
        int pathLen = 1 + rank;
        byte[] nh = addr(peerAddress(i));
        int asSize = as4 ? 4 : 2;
        int attrLen = 4 /* ORIGIN */ + 3 + 2 + pathLen * asSize /* AS_PATH */ + 7 /* NEXT_HOP */;
        int first = g * o.prefixes();
        int count = o.prefixes();
        int full = count / PREFIXES_PER_UPDATE;
        int rest = count % PREFIXES_PER_UPDATE;
        int msgs = full + (rest > 0 ? 1 : 0);
        int fixed = 19 + 2 + 2 + attrLen;
        byte[] out = new byte[msgs * fixed + count * 4];
        int p = 0;
        for (int m = 0; m < msgs; m++) {
            int n = (m < full) ? PREFIXES_PER_UPDATE : rest;
            int len = fixed + n * 4;
            for (int k = 0; k < 16; k++) out[p++] = (byte) 0xff; // RFC 4271 §4.1 marker
            out[p++] = (byte) (len >> 8);
            out[p++] = (byte) len;
            out[p++] = 2; // UPDATE
            out[p++] = 0; // withdrawn routes length
            out[p++] = 0;
            out[p++] = (byte) (attrLen >> 8);
            out[p++] = (byte) attrLen;
            // ORIGIN IGP (RFC 4271 §5.1.1), well-known transitive
            out[p++] = 0x40; out[p++] = 1; out[p++] = 1; out[p++] = 0;
            // AS_PATH: one AS_SEQUENCE segment (RFC 4271 §4.3; 4-octet ASNs per RFC 6793 when negotiated)
            int segLen = 2 + pathLen * asSize;
            out[p++] = 0x40; out[p++] = 2; out[p++] = (byte) segLen;
            out[p++] = 2; out[p++] = (byte) pathLen;
            for (int k = 0; k < pathLen; k++) {
                if (as4) { out[p++] = (byte) (asn >>> 24); out[p++] = (byte) (asn >>> 16); }
                out[p++] = (byte) (asn >>> 8); out[p++] = (byte) asn;
            }
            // NEXT_HOP = the peer itself (RFC 4271 §5.1.3)
            out[p++] = 0x40; out[p++] = 3; out[p++] = 4;
            System.arraycopy(nh, 0, out, p, 4);
            p += 4;
            for (int k = 0; k < n; k++) {
                int v = PREFIX_BASE + first + m * PREFIXES_PER_UPDATE + k;
                out[p++] = 24;
                out[p++] = (byte) (v >>> 16);
                out[p++] = (byte) (v >>> 8);
                out[p++] = (byte) v;
            }
        }
        if (p != out.length) throw new IllegalStateException("update size mismatch " + p + " != " + out.length);
        return out;
    }

    static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    // ---------------------------------------------------------------- sessions

    final class Session {
        final String name;
        final InetAddress local;
        final int asn;
        final ReentrantLock writeLock = new ReentrantLock();
        Socket socket;
        DataInputStream in;
        OutputStream out;
        boolean as4;
        int holdTime;

        Session(String name, InetAddress local, int asn) {
            this.name = name;
            this.local = local;
            this.asn = asn;
        }

        /** Connect (retrying until the deadline: the daemon may still be starting) and reach Established. */
        void open(InetSocketAddress server, long deadline) throws IOException, InterruptedException {
            IOException last = null;
            while (System.nanoTime() < deadline) {
                if (serverGone()) throw new IOException("server process " + o.serverPid() + " exited");
                Socket s = new Socket();
                try {
                    s.setTcpNoDelay(true);
                    s.setReceiveBufferSize(1 << 20);
                    s.bind(new InetSocketAddress(local, 0));
                    s.connect(server, 3000);
                    socket = s;
                    in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 18));
                    out = s.getOutputStream();
                    handshake();
                    return;
                } catch (IOException e) {
                    last = e;
                    try { s.close(); } catch (IOException ignored) { }
                    Thread.sleep(300);
                }
            }
            throw new IOException("not established before the deadline: " + (last == null ? "?" : last.getMessage()));
        }

        private void handshake() throws IOException {
            out.write(open());
            out.flush();
            Msg m = read();
            if (m.type == 3) throw new IOException("NOTIFICATION " + notification(m.body));
            if (m.type != 1) throw new IOException("expected OPEN, got type " + m.type);
            parseOpen(m.body);
            out.write(message(4, new byte[0]));
            out.flush();
            while (true) {
                m = read();
                if (m.type == 4) return; // RFC 4271 §8.2.2: KEEPALIVE in OpenConfirm -> Established
                if (m.type == 3) throw new IOException("NOTIFICATION " + notification(m.body));
            }
        }

        private byte[] open() {
            byte[] id = local.getAddress();
            // Optional parameter 2 (capabilities, RFC 5492): MP IPv4 unicast (RFC 4760) and 4-octet AS (RFC 6793).
            byte[] caps = {
                    2, 6, 1, 4, 0, 1, 0, 1,
                    2, 6, 65, 4, (byte) (asn >>> 24), (byte) (asn >>> 16), (byte) (asn >>> 8), (byte) asn,
            };
            int my = asn > 0xffff ? AS_TRANS : asn;
            byte[] body = new byte[10 + caps.length];
            body[0] = 4;
            body[1] = (byte) (my >> 8);
            body[2] = (byte) my;
            body[3] = (byte) (OFFERED_HOLD_TIME >> 8);
            body[4] = (byte) OFFERED_HOLD_TIME;
            System.arraycopy(id, 0, body, 5, 4);
            body[9] = (byte) caps.length;
            System.arraycopy(caps, 0, body, 10, caps.length);
            return message(1, body);
        }

        private void parseOpen(byte[] b) {
            int hold = ((b[3] & 0xff) << 8) | (b[4] & 0xff);
            holdTime = Math.min(hold, OFFERED_HOLD_TIME);
            int optLen = b[9] & 0xff;
            int p = 10;
            int end = Math.min(b.length, 10 + optLen);
            while (p + 2 <= end) {
                int type = b[p] & 0xff;
                int len = b[p + 1] & 0xff;
                if (type == 2) {
                    int q = p + 2;
                    while (q + 2 <= p + 2 + len) {
                        int code = b[q] & 0xff;
                        int clen = b[q + 1] & 0xff;
                        if (code == 65) as4 = true;
                        q += 2 + clen;
                    }
                }
                p += 2 + len;
            }
        }

        Msg read() throws IOException {
            byte[] h = new byte[19];
            in.readFully(h);
            for (int i = 0; i < 16; i++) if (h[i] != (byte) 0xff) throw new IOException("bad marker");
            int len = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
            if (len < 19 || len > 65535) throw new IOException("bad length " + len);
            byte[] body = new byte[len - 19];
            in.readFully(body);
            return new Msg(h[18] & 0xff, body);
        }

        private final byte[] header = new byte[19];

        /** Reads one message and drops its body; returns its type. */
        int skip() throws IOException {
            in.readFully(header);
            int len = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
            if (len < 19) throw new IOException("bad length " + len);
            in.skipNBytes(len - 19);
            return header[18] & 0xff;
        }

        /** Writes whole messages in chunks, so a KEEPALIVE can slip in between but never inside one. */
        void writeStream(byte[] data) throws IOException {
            int p = 0;
            while (p < data.length) {
                int end = p;
                while (end < data.length && end - p < 32768) {
                    end += ((data[end + 16] & 0xff) << 8) | (data[end + 17] & 0xff);
                }
                writeLock.lock();
                try {
                    out.write(data, p, end - p);
                } finally {
                    writeLock.unlock();
                }
                p = end;
            }
            out.flush();
        }

        void keepalive() throws IOException {
            if (!writeLock.tryLock()) return; // an UPDATE write in progress also resets the peer's hold timer
            try {
                out.write(message(4, new byte[0]));
            } finally {
                writeLock.unlock();
            }
        }
    }

    record Msg(int type, byte[] body) { }

    static byte[] message(int type, byte[] body) {
        int len = 19 + body.length;
        byte[] m = new byte[len];
        for (int i = 0; i < 16; i++) m[i] = (byte) 0xff;
        m[16] = (byte) (len >> 8);
        m[17] = (byte) len;
        m[18] = (byte) type;
        System.arraycopy(body, 0, m, 19, body.length);
        return m;
    }

    static String notification(byte[] b) {
        return b.length >= 2 ? (b[0] & 0xff) + "/" + (b[1] & 0xff) : "?";
    }

    void keepalives(List<Session> all) {
        int hold = all.stream().mapToInt(s -> s.holdTime).filter(h -> h > 0).min().orElse(0);
        if (hold == 0) return; // RFC 4271 §4.4: hold time 0 means no KEEPALIVEs
        long every = Math.max(1000, hold * 1000L / 3 - 1000);
        while (true) {
            try {
                Thread.sleep(every);
                for (Session s : all) s.keepalive();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                failure.compareAndSet(null, "keepalive: " + e.getMessage());
                converged.countDown();
                return;
            }
        }
    }

    /** Client peers read what the server sends them (the other clients' routes) and drop it. */
    void drain(Session s) {
        try {
            while (true) {
                if (s.skip() == 3) throw new IOException("NOTIFICATION");
            }
        } catch (IOException e) {
            failure.compareAndSet(null, s.name + " " + s.local.getHostAddress() + " read: "
                    + (e instanceof EOFException ? "connection closed by server" : e.getMessage()));
            converged.countDown();
        }
    }

    // ---------------------------------------------------------------- monitor

    /** Decodes what the server sends the monitor: prefix -> (path length, first AS), against the expected best. */
    final class Monitor {
        static final byte ABSENT = 0, WRONG = 1, RIGHT = 2;
        final Session s;
        final byte[] state = new byte[o.totalPrefixes()];
        volatile boolean armed;
        volatile int correct, present;
        volatile long updates, unexpected;
        volatile String sampleWrong;

        Monitor(Session s) {
            this.s = s;
        }

        void run() {
            try {
                while (true) {
                    Msg m = s.read();
                    if (m.type == 2) {
                        update(m.body);
                        if (correct == state.length && armed && convergedAt == 0) {
                            convergedAt = System.nanoTime();
                            converged.countDown();
                        }
                    } else if (m.type == 3) {
                        throw new IOException("NOTIFICATION " + notification(m.body));
                    }
                }
            } catch (IOException e) {
                failure.compareAndSet(null, "monitor read: "
                        + (e instanceof EOFException ? "connection closed by server" : e.getMessage()));
                converged.countDown();
            }
        }

        void update(byte[] b) {
            updates++;
            int wlen = u16(b, 0);
            int p = 2;
            int wend = p + wlen;
            while (p < wend) {
                int len = b[p] & 0xff;
                int idx = index(b, p);
                p += 1 + (len + 7) / 8;
                if (idx >= 0) set(idx, ABSENT);
            }
            int alen = u16(b, p);
            p += 2;
            int aend = p + alen;
            int pathLen = -1;
            long firstAs = -1;
            while (p < aend) {
                int flags = b[p] & 0xff;
                int type = b[p + 1] & 0xff;
                int len;
                if ((flags & 0x10) != 0) { len = u16(b, p + 2); p += 4; } else { len = b[p + 2] & 0xff; p += 3; }
                if (type == 2) {
                    // RFC 4271 §9.1.2.2 a): AS_SET counts 1, confederation segments (RFC 5065) count 0
                    pathLen = 0;
                    int q = p;
                    int asSize = s.as4 ? 4 : 2;
                    while (q < p + len) {
                        int segType = b[q] & 0xff;
                        int n = b[q + 1] & 0xff;
                        if (segType == 2) {
                            if (firstAs < 0 && n > 0) firstAs = asSize == 4 ? (u16(b, q + 2) & 0xffffL) << 16 | u16(b, q + 4) : u16(b, q + 2);
                            pathLen += n;
                        } else if (segType == 1) {
                            pathLen += 1;
                        }
                        q += 2 + n * asSize;
                    }
                }
                p += len;
            }
            if (p >= b.length) return; // no NLRI (withdraw-only, End-of-RIB)
            while (p < b.length) {
                int len = b[p] & 0xff;
                int idx = index(b, p);
                p += 1 + (len + 7) / 8;
                if (idx < 0) continue;
                long want = peerAsn((idx / o.prefixes()) * o.group());
                boolean right = pathLen == 1 && firstAs == want;
                if (!right && sampleWrong == null) {
                    sampleWrong = "prefix#" + idx + " path_len=" + pathLen + " first_as=" + firstAs + " want=" + want;
                }
                set(idx, right ? RIGHT : WRONG);
            }
        }

        private int index(byte[] b, int p) {
            if ((b[p] & 0xff) != 24) { unexpected++; return -1; }
            int v = ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
            int idx = v - PREFIX_BASE;
            if (idx < 0 || idx >= state.length) { unexpected++; return -1; }
            return idx;
        }

        private void set(int idx, byte now) {
            byte was = state[idx];
            if (was == now) return;
            if (was == RIGHT) correct--;
            if (now == RIGHT) correct++;
            if (was == ABSENT) present++;
            if (now == ABSENT) present--;
            state[idx] = now;
        }
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    // ---------------------------------------------------------------- server process figures

    /** CPU (utime+stime) and peak RSS (VmHWM) summed over the server process and its descendants. */
    record ProcStats(double cpuSeconds, long hwmKb, int processes) {
        static ProcStats read(long root, int clkTck) {
            if (root <= 0) return new ProcStats(0, 0, 0);
            Map<Long, Long> parent = new HashMap<>();
            Map<Long, long[]> ticks = new HashMap<>();
            try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path d : dirs) {
                    try {
                        String stat = Files.readString(d.resolve("stat"), StandardCharsets.US_ASCII);
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long pid = Long.parseLong(d.getFileName().toString());
                        parent.put(pid, Long.parseLong(f[1]));
                        // proc(5): fields 14 utime and 15 stime, counted from field 3 (state) here
                        ticks.put(pid, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
                    } catch (IOException | RuntimeException gone) {
                        // the process exited while we looked
                    }
                }
            } catch (IOException e) {
                return new ProcStats(0, 0, 0);
            }
            double cpu = 0;
            long hwm = 0;
            int n = 0;
            for (Long pid : ticks.keySet()) {
                long p = pid;
                while (p > 1 && p != root) p = parent.getOrDefault(p, 0L);
                if (p != root) continue;
                long[] t = ticks.get(pid);
                cpu += (t[0] + t[1]) / (double) clkTck;
                hwm += hwm(pid);
                n++;
            }
            return new ProcStats(cpu, hwm, n);
        }

        static long hwm(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            } catch (IOException | RuntimeException ignored) {
                // exited
            }
            return 0;
        }
    }
}
