package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
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
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    final int id;
    final PeerConfig config;
    final BgpSession session;
    final SessionCodecContext ctx;
    final Set<AfiSafi> families;
    final ExportAttributes.Style style;
    final ExportPolicy policy;
    private final Set<AfiSafi> addPath;
    private final Object shareKey;
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
    }

    /**
     * RIB thread. Writes while the channel is writable; returns true when more is owed and the
     * channel is still writable (the caller queues another pump so other RIB work interleaves).
     */
    /**
     * RIB thread: one drain of at most {@link #BATCH} prefixes, packed, encoded (or taken from the
     * group's encoding) and written. Returns false when the channel is not writable or nothing was
     * owed. {@link Routing} runs rounds of all woken members of an update group in turn, so members
     * that are level drain the same changes and share one encoding.
     */
    boolean round(Rib rib, EncodeCache cache, int localId) {
        if (!session.isWritable()) return false;
        List<ExportedRoute> drained = rib.routeServer().drain(id, BATCH);
        List<UpdatePacker.Announce> announce = new ArrayList<>();
        List<Nlri> withdraw = new ArrayList<>();
        List<ExportedRoute> single = new ArrayList<>(drained.size());
        for (ExportedRoute r : drained) {
            AfiSafi f = r.prefix().afiSafi();
            if (!families.contains(f)) continue;
            if (addPath.contains(f)) addPathOwed.add(r.prefix()); // all its paths, below
            else single.add(r);
        }
        Map<MemoKey, Optional<ExportAttributes.Out>> memo = new HashMap<>();
        for (ExportedRoute r : single) {
            ExportAttributes.Out out = r.withdrawal() ? null : outgoing(r.route(), localId, memo);
            if (out == null && !r.withdrawal()) unsendable(r.route(), localId);
            if (out == null) withdraw.add(new Nlri(r.prefix()));
            else announce.add(new UpdatePacker.Announce(new Nlri(r.prefix()), out));
        }
        List<ByteBuf> bufs = new ArrayList<>(cache.encode(shareKey, single, ctx,
                () -> UpdatePacker.pack(announce, withdraw, ctx)));
        int addPathCount = drainAddPath(rib, localId, bufs, cache);
        write(bufs, announce.size(), withdraw.size());
        return !drained.isEmpty() || addPathCount > 0;
    }

    /**
     * RIB thread, after the rounds: End-of-RIB once the initial table is out (RFC 4724 section 2).
     * Returns true when more is owed and the channel is still writable (pump again later, so other
     * RIB work interleaves).
     */
    boolean finish(Rib rib) {
        boolean more = rib.routeServer().hasPending(id) || !addPathOwed.isEmpty()
                || (subscription != null && subscription.pending() > 0);
        if (!more && !endOfRibSent) {
            endOfRibSent = true;
            List<ByteBuf> eor = new ArrayList<>();
            families.stream().sorted((a, b) -> a.afi() != b.afi() ? Integer.compare(a.afi(), b.afi())
                    : Integer.compare(a.safi(), b.safi())).forEach(f -> eor.add(
                    dev.ixora.codec.BgpMessageCodec.encode(UpdateMessage.endOfRib(f), ctx, io.netty.buffer.ByteBufAllocator.DEFAULT)));
            write(eor, 0, 0);
        }
        return more && session.isWritable();
    }

    private int drainAddPath(Rib rib, int localId, List<ByteBuf> bufs, EncodeCache cache) {
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
        bufs.addAll(cache.encode(null, List.of(), ctx, () -> UpdatePacker.pack(announce, withdraw, ctx)));
        prefixesAnnounced += announce.size();
        prefixesWithdrawn += withdraw.size();
        return prefixes.size();
    }

    /** What decides the outgoing attributes besides the (interned) attribute set. */
    private record MemoKey(dev.ixora.rib.RouteAttributes attributes, boolean v6, boolean local, boolean ebgp) {}

    /** ExportAttributes.of, once per distinct input within a drain (routes share interned attribute sets). */
    private ExportAttributes.Out outgoing(Route r, int localId, Map<MemoKey, Optional<ExportAttributes.Out>> memo) {
        boolean local = r.peer().id() == localId;
        return memo.computeIfAbsent(new MemoKey(r.attributes(), r.prefix().v6(), local, r.peer().ebgp()),
                k -> Optional.ofNullable(ExportAttributes.of(r, local, style))).orElse(null);
    }

    private void unsendable(Route r, int localId) {
        String why = "skipped: no " + (r.prefix().v6() ? "IPv6" : "IPv4") + " next hop (the session runs over "
                + (style.selfV4() != null ? "IPv4" : "IPv6") + "; set next-hop in the announce entry)";
        if (r.peer().id() == localId) LOG.warn("peer={} as={} announce {} {}", config.name(), config.asn(), r.prefix(), why);
        else LOG.debug("peer={} as={} route {} from {} {}", config.name(), config.asn(), r.prefix(), r.peer(), why);
    }

    /** RFC 7911 section 3: a path id unique per prefix on this session, stable while the path lives. */
    static long outPathId(Route r) {
        long low = r.pathId() < 0 ? 0 : (r.pathId() % 65535) + 1;
        return ((long) (r.peer().id() + 1) << 16 | low) & 0xFFFF_FFFFL;
    }

    private void write(List<ByteBuf> bufs, int announced, int withdrawn) {
        for (ByteBuf b : bufs) session.writeEncoded(b);
        updatesSent += bufs.size();
        prefixesAnnounced += announced;
        prefixesWithdrawn += withdrawn;
    }
}
