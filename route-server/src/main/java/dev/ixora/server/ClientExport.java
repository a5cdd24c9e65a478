package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.PeerConfig;
import dev.ixora.fsm.BgpSession;
import dev.ixora.rib.ChangeSubscription;
import dev.ixora.rib.ExportPolicy;
import dev.ixora.rib.ExportedRoute;
import dev.ixora.rib.Rib;
import dev.ixora.rib.Route;
import dev.ixora.rib.RouteAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The export side of one Established client session (state-based, DESIGN.md): when its channel is
 * writable, {@link #pump} drains what the rib says the client is owed, packs it into UPDATEs and
 * writes them; when the channel stops being writable it stops, and the rib's per-client set of
 * owed prefixes (bounded by the table size) is all that grows. After the initial table it sends
 * End-of-RIB per family (RFC 4724 section 2). RIB thread only, except the counters.
 *
 * <p>Families where the client negotiated ADD-PATH send (RFC 7911) do not use the rib's
 * single-choice view: each changed prefix is re-read from the rib and every path the export
 * policy allows (none from the client itself) is sent with its own path id; paths that went are
 * withdrawn by id. The outgoing path id is {@code (source peer id + 1) << 16} plus the source's own
 * path id modulo 65535 (+1), stable while the source path lives.
 */
final class ClientExport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientExport.class);
    /**
     * Prefixes per drain. Writability is checked between drains, so this bounds how far one pump
     * can overshoot a channel that just became unwritable (DESIGN.md: no unbounded queue).
     */
    static final int BATCH = 512;
    /** Chunks end after a prefix whose hash has these bits clear: every 128 prefixes on average. */
    static final int CHUNK_MASK = 127;
    /** A chunk ends here whatever the hashes say. */
    static final int CHUNK_MAX = 1024;
    /** Entries of the outgoing-attributes memo (a power of two). */
    private static final int MEMO = 64;

    final int id;
    final PeerConfig config;
    final BgpSession session;
    final SessionCodecContext ctx;
    final Set<AfiSafi> families;
    final ExportAttributes.Style style;
    final ExportPolicy policy;
    private final Set<AfiSafi> addPath;
    private final Object shareKey;
    private int shareId = -1;
    private final boolean sendV4;
    private final boolean sendV6;
    private final boolean addPathV4;
    private final boolean addPathV6;
    /** Drained routes after the last chunk boundary, {@code held[0, pendingCount)}, sent with the next round. */
    private ExportedRoute[] held = new ExportedRoute[CHUNK_MAX];
    private int pendingCount;
    /** What a round drains into (reused: no list per drain). */
    private final ExportedRoute[] drained = new ExportedRoute[BATCH];
    /** Scratch of {@link #encode}: IPv4 prefixes in columns, and the last-state table of {@link #superseded}. */
    private final UpdatePacker.V4Batch v4 = new UpdatePacker.V4Batch();
    private final Superseded superseded = new Superseded();
    /** What this pump's rounds queued, written by {@link #finish}. */
    private final Writes writes = new Writes();
    private final RouteAttributes[] memoKey = new RouteAttributes[MEMO];
    private final int[] memoFlags = new int[MEMO];
    private final ExportAttributes.Out[] memoOut = new ExportAttributes.Out[MEMO];
    private final ExportAttributes.Out[] wireOut = new ExportAttributes.Out[MEMO];
    private final byte[][] wire = new byte[MEMO][];
    private ChangeSubscription subscription;
    private final ArrayDeque<Prefix> addPathOwed = new ArrayDeque<>();
    private final Map<Prefix, Map<Long, ExportAttributes.Out>> addPathSent = new HashMap<>();
    private boolean endOfRibSent;
    boolean pumpQueued;
    volatile long updatesSent;
    volatile long prefixesAnnounced;
    volatile long prefixesWithdrawn;

    ClientExport(int id, PeerConfig config, BgpSession session, SessionCodecContext ctx, Set<AfiSafi> families,
                 ExportAttributes.Style style, ExportPolicy policy) {
        this.id = id;
        this.config = config;
        this.session = session;
        this.ctx = ctx;
        this.families = Set.copyOf(families);
        this.style = style;
        this.policy = policy;
        this.addPath = Set.copyOf(ctx.addPathSend());
        this.shareKey = List.of(style.key(), ctx, this.families);
        this.sendV4 = this.families.contains(AfiSafi.IPV4_UNICAST);
        this.sendV6 = this.families.contains(AfiSafi.IPV6_UNICAST);
        this.addPathV4 = addPath.contains(AfiSafi.IPV4_UNICAST);
        this.addPathV6 = addPath.contains(AfiSafi.IPV6_UNICAST);
    }

    boolean endOfRibSent() {
        return endOfRibSent;
    }

    /**
     * RIB thread: for ADD-PATH families, subscribe to every path change. The initial table of
     * those families comes through the rib's per-client view like for other clients (it dumps
     * every prefix the client may see); {@link #pump} turns each such prefix into all its paths.
     */
    void start(Rib rib, Runnable wake) {
        if (!addPath.isEmpty()) subscription = rib.subscribe(true, wake);
    }

    void stop() {
        if (subscription != null) subscription.close();
        subscription = null;
        writes.release();
    }

    /**
     * RIB thread: one drain of at most {@link #BATCH} prefixes, cut into chunks, each encoded (or
     * taken from the group's encoding) and queued for {@link #finish} to write. Returns false when
     * the channel is not writable (counting what this pump queued) or nothing was owed. {@link Routing} runs rounds of
     * all woken members of an update group in turn, so members that are level drain the same
     * changes and share the encodings.
     *
     * <p>Chunks end after a prefix whose hash picks it as a boundary (on average every
     * {@code CHUNK_MASK + 1} prefixes), so two members cut the same stream of changes at the same
     * places wherever their drains begin and end; the routes after the last boundary wait for the
     * next round ({@code held}). A round that empties what the client is owed sends everything,
     * as one chunk: the usual case for churn, where it packs best.
     */
    boolean round(Rib rib, EncodeCache cache, int localId) {
        Writes w = writes;
        // what this pump queued is not in the channel yet: count it against the channel's room
        if (!session.isWritable() || w.bytes >= session.bytesBeforeUnwritable()) return false;
        if (shareId < 0) shareId = cache.keyId(shareKey);
        ExportedRoute[] d = drained;
        boolean distinct = rib.routeServer().nextDrainDistinct(id);
        int n = rib.routeServer().drain(id, d, BATCH);
        boolean caughtUp = n < BATCH;
        int kept = 0; // d[0, kept): the routes sent the single-best way, in order
        for (int i = 0; i < n; i++) {
            ExportedRoute r = d[i];
            boolean v6 = r.v6();
            if (v6 ? !sendV6 : !sendV4) continue;
            if (v6 ? addPathV6 : addPathV4) {
                addPathOwed.add(r.prefix()); // all its paths, below
                continue;
            }
            d[kept++] = r;
        }
        cut(cache, localId, w, d, kept, caughtUp, distinct);
        java.util.Arrays.fill(d, 0, n, null);
        int addPathCount = drainAddPath(rib, localId, w, cache);
        return n > 0 || addPathCount > 0;
    }

    private static boolean same(ExportedRoute a, ExportedRoute b) {
        return a.prefixLo() == b.prefixLo() && a.prefixHi() == b.prefixHi() && a.prefixLength() == b.prefixLength()
                && a.v6() == b.v6();
    }

    /** Prefix hashing for chunk boundaries: the prefix's value, never its object (a record's hashCode is slow in C1). */
    static int hash(ExportedRoute r) {
        long h = (r.prefixHi() * 31 + r.prefixLo()) * 0x9E3779B97F4A7C15L + r.prefixLength();
        return (int) (h >>> 32) ^ (int) h;
    }

    /** A chunk ends after this prefix (about one prefix in {@code CHUNK_MASK + 1}). */
    static boolean boundary(ExportedRoute r) {
        return boundary(r.prefixHi(), r.prefixLo(), r.prefixLength());
    }

    private static boolean boundary(long hi, long lo, int length) {
        long h = (hi * 31 + lo + length) * 0x9E3779B97F4A7C15L;
        return ((h >>> 57) & CHUNK_MASK) == 0;
    }

    /**
     * Cuts the held routes followed by {@code d[0, kept)} into chunks and queues them on {@code w}.
     * At each chunk start a chunk the group already has that goes on with the same routes is
     * taken whole (no boundary to look for); otherwise the chunk runs to the next boundary and is
     * encoded. What follows the last boundary is held for the next round, unless the client is
     * caught up.
     */
    private void cut(EncodeCache cache, int localId, Writes w, ExportedRoute[] d, int kept, boolean caughtUp, boolean distinct) {
        int earlier = pendingCount; // a[0, earlier) came from earlier drains
        ExportedRoute[] a = d;
        int len = kept;
        if (pendingCount > 0) {
            if (pendingCount + kept > held.length) held = java.util.Arrays.copyOf(held, Math.max(pendingCount + kept, held.length * 2));
            System.arraycopy(d, 0, held, pendingCount, kept);
            a = held;
            len = pendingCount + kept;
        }
        int i = 0;
        while (i < len) {
            EncodeCache.Chunk c = cache.match(shareId, a, i, len);
            if (c != null) {
                w.add(c.encoded.retainedDuplicate(), c);
                i += c.length;
                continue;
            }
            int j = i;
            while (j < len && !boundary(a[j]) && j - i + 1 < CHUNK_MAX) j++;
            int end = j < len ? j + 1 : caughtUp ? len : -1;
            if (end < 0) break; // no boundary yet: held for the next round
            ExportedRoute[] routes = cache.routesArray(end - i);
            System.arraycopy(a, i, routes, 0, end - i);
            // a chunk of this drain alone, when the drain read only the log, repeats no prefix
            c = encode(cache, localId, shareId, routes, end - i, !(distinct && i >= earlier));
            w.add(c.encoded.retainedDuplicate(), c);
            cache.put(shareId, c);
            i = end;
        }
        int left = len - i;
        if (a == held) {
            System.arraycopy(held, i, held, 0, left);
            java.util.Arrays.fill(held, left, len, null);
        } else if (left > 0) {
            if (left > held.length) held = new ExportedRoute[Math.max(left, held.length * 2)];
            System.arraycopy(d, i, held, 0, left);
        }
        pendingCount = left;
    }

    /**
     * Encodes one chunk. A prefix can be there twice (a route held back from the previous round,
     * then its newer state; or the table dump's, then the log's): only its last state is sent, since
     * packing groups by attributes and would not keep their order. {@code mayRepeat} false: the
     * caller knows no prefix repeats (a chunk of one drain that read only the change log), and
     * the check is skipped.
     */
    private EncodeCache.Chunk encode(EncodeCache cache, int localId, int key, ExportedRoute[] routes, int n, boolean mayRepeat) {
        boolean[] superseded = mayRepeat ? this.superseded.mark(routes, n) : null;
        UpdatePacker.V4Batch v4 = this.v4;
        List<UpdatePacker.Announce> announce = null; // IPv6: through the packer and the codec
        List<Nlri> withdraw = null;
        int announced = 0;
        int withdrawn = 0;
        for (int i = 0; i < n; i++) {
            if (superseded != null && superseded[i]) continue;
            ExportedRoute r = routes[i];
            ExportAttributes.Out out = r.withdrawal() ? null : outgoing(r, localId);
            if (out == null && !r.withdrawal()) unsendable(r, localId);
            if (out == null) withdrawn++;
            else announced++;
            if (!r.v6()) {
                v4.add(r.prefixLo(), r.prefixLength(), out);
            } else if (out == null) {
                if (withdraw == null) withdraw = new ArrayList<>();
                withdraw.add(new Nlri(r.prefix()));
            } else {
                if (announce == null) announce = new ArrayList<>();
                announce.add(new UpdatePacker.Announce(new Nlri(r.prefix()), out));
            }
        }
        ByteBuf buf = cache.scratch();
        int updates = 0;
        try {
            if (v4.n > 0) updates += UpdatePacker.writeV4(v4, ctx, buf, attributeBytes);
            if (announce != null || withdraw != null) {
                List<UpdateMessage> msgs = UpdatePacker.pack(announce == null ? List.of() : announce,
                        withdraw == null ? List.of() : withdraw, ctx);
                for (UpdateMessage m : msgs) BgpMessageCodec.encode(m, ctx, buf);
                updates += msgs.size();
            }
        } finally {
            v4.clear();
        }
        return new EncodeCache.Chunk(key, routes, n, cache.copy(buf), updates, announced, withdrawn);
    }

    /** {@link #attributeBytes(ExportAttributes.Out)} as a function, made once (not a lambda per chunk). */
    private final java.util.function.Function<ExportAttributes.Out, byte[]> attributeBytes = this::attributeBytes;

    /** The wire form of an outgoing attribute set for IPv4 UPDATEs on this session (a few kept, by identity). */
    private byte[] attributeBytes(ExportAttributes.Out out) {
        int s = System.identityHashCode(out) & (MEMO - 1);
        if (wireOut[s] == out) return wire[s];
        byte[] b = UpdatePacker.attributeBytes(out, ctx);
        wireOut[s] = out;
        wire[s] = b;
        return b;
    }

    /**
     * Finds the routes of a chunk whose prefix comes again later in it, with tables kept from one
     * chunk to the next (a chunk is at most a few thousand routes): no arrays per chunk.
     */
    static final class Superseded {
        // open addressing: index + 1 of the last route seen of a prefix, valid where stamps == stamp
        private int[] t = new int[256];
        private int[] hashes = new int[256];
        private int[] stamps = new int[256];
        private int stamp;
        private boolean[] marks = new boolean[128];

        /**
         * Marks in the returned array's {@code [0, n)} every route of {@code routes[0, n)} superseded
         * by a later one of the same prefix; null when none is. The array is reused by the next call.
         */
        boolean[] mark(ExportedRoute[] routes, int n) {
            if (n < 2) return null;
            int size = Integer.highestOneBit(n * 2 - 1) << 1;
            if (t.length < size) {
                t = new int[size];
                hashes = new int[size];
                stamps = new int[size];
                stamp = 0;
            }
            if (++stamp == 0) { // wrapped: every old stamp could look current
                java.util.Arrays.fill(stamps, 0);
                stamp = 1;
            }
            int[] t = this.t;
            int[] hashes = this.hashes;
            int[] stamps = this.stamps;
            int now = stamp;
            int mask = size - 1;
            boolean any = false;
            for (int i = n - 1; i >= 0; i--) { // from the end: the last state of a prefix wins
                ExportedRoute r = routes[i];
                int h = hash(r);
                int s = h & mask;
                while (true) {
                    if (stamps[s] != now) {
                        stamps[s] = now;
                        t[s] = i;
                        hashes[s] = h;
                        break;
                    }
                    if (hashes[s] == h && same(routes[t[s]], r)) {
                        if (!any) {
                            if (marks.length < n) marks = new boolean[Math.max(n, marks.length * 2)];
                            else java.util.Arrays.fill(marks, 0, n, false);
                            any = true;
                        }
                        marks[i] = true;
                        break;
                    }
                    s = (s + 1) & mask;
                }
            }
            return any ? marks : null;
        }
    }

    /**
     * What the rounds of one pump write: buffers, in order, written to the channel as one buffer
     * at the end of the pump ({@link #finish}): one event-loop task and one system call for all.
     */
    private static final class Writes {
        final List<ByteBuf> bufs = new ArrayList<>(16);
        int bytes;
        int updates;
        int announced;
        int withdrawn;

        void add(ByteBuf b, EncodeCache.Chunk c) {
            add(b, c.updates);
            announced += c.announced;
            withdrawn += c.withdrawn;
        }

        void add(ByteBuf b, int messages) {
            bufs.add(b);
            bytes += b.readableBytes();
            updates += messages;
        }

        void write(ClientExport e) {
            if (bufs.isEmpty()) return;
            ByteBuf all = bufs.size() == 1 ? bufs.get(0)
                    : Unpooled.wrappedBuffer(bufs.size(), bufs.toArray(new ByteBuf[0]));
            e.session.writeEncoded(all, updates);
            e.updatesSent += updates;
            e.prefixesAnnounced += announced;
            e.prefixesWithdrawn += withdrawn;
            bufs.clear();
            bytes = updates = announced = withdrawn = 0;
        }

        void release() {
            for (ByteBuf b : bufs) b.release();
            bufs.clear();
            bytes = updates = announced = withdrawn = 0;
        }
    }

    /**
     * RIB thread, after the rounds: End-of-RIB once the initial table is out (RFC 4724 section 2),
     * and what the rounds queued goes to the channel, in one write. Returns true when more is owed and the channel is still writable (pump again later, so other
     * RIB work interleaves).
     */
    boolean finish(Rib rib) {
        boolean more = rib.routeServer().hasPending(id) || !addPathOwed.isEmpty() || pendingCount > 0
                || (subscription != null && subscription.pending() > 0);
        if (!more && !endOfRibSent) {
            endOfRibSent = true;
            families.stream().sorted((a, b) -> a.afi() != b.afi() ? Integer.compare(a.afi(), b.afi())
                    : Integer.compare(a.safi(), b.safi())).forEach(f -> writes.add(
                    BgpMessageCodec.encode(UpdateMessage.endOfRib(f), ctx, ByteBufAllocator.DEFAULT), 1));
        }
        writes.write(this);
        return more && session.isWritable();
    }

    private int drainAddPath(Rib rib, int localId, Writes w, EncodeCache cache) {
        if (addPath.isEmpty()) return 0;
        List<Prefix> prefixes = new ArrayList<>();
        while (prefixes.size() < BATCH && !addPathOwed.isEmpty()) prefixes.add(addPathOwed.poll());
        if (prefixes.size() < BATCH) prefixes.addAll(subscription.drain(BATCH - prefixes.size()));
        List<UpdatePacker.Announce> announce = new ArrayList<>();
        List<Nlri> withdraw = new ArrayList<>();
        for (Prefix p : prefixes) {
            if (!addPath.contains(p.afiSafi()) || !families.contains(p.afiSafi())) continue;
            Map<Long, ExportAttributes.Out> now = new LinkedHashMap<>();
            for (Route r : rib.paths(p)) {
                if (!r.eligible() || r.peer().id() == id || !policy.permits(p, r.peer(), r.attributes())) continue;
                ExportAttributes.Out out = ExportAttributes.of(r, r.peer().id() == localId, style);
                if (out != null) now.put(outPathId(r), out);
            }
            Map<Long, ExportAttributes.Out> before = addPathSent.getOrDefault(p, Map.of());
            for (Long old : before.keySet()) if (!now.containsKey(old)) withdraw.add(new Nlri(p, old));
            now.forEach((pid, out) -> {
                if (!out.equals(before.get(pid))) announce.add(new UpdatePacker.Announce(new Nlri(p, pid), out));
            });
            if (now.isEmpty()) addPathSent.remove(p);
            else addPathSent.put(p, now);
        }
        List<UpdateMessage> msgs = UpdatePacker.pack(announce, withdraw, ctx);
        if (!msgs.isEmpty()) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
            try {
                for (UpdateMessage m : msgs) BgpMessageCodec.encode(m, ctx, buf);
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            cache.countEncoded(msgs.size());
            w.add(buf, msgs.size());
        }
        prefixesAnnounced += announce.size();
        prefixesWithdrawn += withdraw.size();
        return prefixes.size();
    }

    /**
     * ExportAttributes.of, remembered per distinct input: what decides the outgoing attributes is
     * the (interned) attribute set, the family, and whether the route is ours or from an eBGP peer.
     * A small direct-mapped table keyed by the attribute set's identity; a miss just recomputes.
     */
    private ExportAttributes.Out outgoing(ExportedRoute r, int localId) {
        dev.ixora.rib.PeerInfo from = r.peer();
        RouteAttributes a = r.attributes();
        boolean v6 = r.v6();
        // the usual case: the same attributes, source and family as the route before (a table in order)
        if (a == lastAttributes && from == lastPeer && v6 == lastV6) return lastOut;
        boolean local = from.id() == localId;
        int flags = 8 | (v6 ? 1 : 0) | (local ? 2 : 0) | (from.ebgp() ? 4 : 0);
        int h = a.hashCode() * 0x9E3779B1 + flags;
        int s = (h ^ (h >>> 16)) & (MEMO - 1);
        ExportAttributes.Out out;
        if (memoKey[s] == a && memoFlags[s] == flags) {
            out = memoOut[s];
        } else {
            out = ExportAttributes.of(a, v6, from.ebgp(), local, style);
            memoKey[s] = a;
            memoFlags[s] = flags;
            memoOut[s] = out;
        }
        lastAttributes = a;
        lastPeer = from;
        lastV6 = v6;
        lastOut = out;
        return out;
    }

    // the last outgoing() answer (localId and style are fixed for the session)
    private RouteAttributes lastAttributes;
    private dev.ixora.rib.PeerInfo lastPeer;
    private boolean lastV6;
    private ExportAttributes.Out lastOut;

    private void unsendable(ExportedRoute r, int localId) {
        String why = "skipped: no " + (r.v6() ? "IPv6" : "IPv4") + " next hop (the session runs over "
                + (style.selfV4() != null ? "IPv4" : "IPv6") + "; set next-hop in the announce entry)";
        if (r.peer().id() == localId) LOG.warn("peer={} as={} announce {} {}", config.name(), config.asn(), r.prefix(), why);
        else LOG.debug("peer={} as={} route {} from {} {}", config.name(), config.asn(), r.prefix(), r.peer(), why);
    }

    /** RFC 7911 section 3: a path id unique per prefix on this session, stable while the path lives. */
    static long outPathId(Route r) {
        long low = r.pathId() < 0 ? 0 : (r.pathId() % 65535) + 1;
        return ((long) (r.peer().id() + 1) << 16 | low) & 0xFFFF_FFFFL;
    }
}
