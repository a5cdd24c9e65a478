package dev.ixora.rib;

import com.github.benmanes.caffeine.cache.Interner;
import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The route tables of one RIB: every received path per prefix (the per-peer Adj-RIB-In, pre-policy,
 * is the projection of those paths on one peer; filtered paths stay with their reason), the Loc-RIB
 * best per prefix, the change stream and the route-server views. Single writer and not thread-safe:
 * everything runs on one thread, normally through {@link RibExecutor}; no locks here.
 */
public final class Rib {
    private final DecisionProcess decision;
    private final NextHopResolver resolver;
    private final Interner<RouteAttributes> interner = Interner.newWeakInterner();
    private final Peers peers = new Peers();
    private final PrefixTable v4 = new PrefixTable(false);
    private final PrefixTable v6 = new PrefixTable(true);
    /** Prefix ids touched by the batch being applied; each one's paths carry the mark that dedups. */
    private int[] touched = new int[256];
    private int touchedCount;
    private final List<ChangeSubscription> bestSubscribers = new ArrayList<>();
    private final List<ChangeSubscription> allPathSubscribers = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();
    private final Map<String, Integer> reasonIds = new HashMap<>();
    private final RouteServerView routeServer;
    /** Bound to the prefix being changed or recomputed (announce, withdraw, recompute). */
    private final PathSet work = new PathSet();
    /** Bound by the reads ({@link #pathsOf}, {@link #pathSetOf}): valid until the next read. */
    private final PathSet reader = new PathSet();
    private PathCursor[] cursors = new PathCursor[0];
    private PathView[] eligible = new PathView[0];
    private long arrivals;
    private long routes;

    public Rib(DecisionOptions options, NextHopResolver resolver) {
        this.decision = new DecisionProcess(options);
        this.resolver = resolver;
        this.routeServer = new RouteServerView(this);
        reasons.add(null); // id 0 = accepted
    }

    /** A route server's RIB: RFC 4271 defaults, every next hop on the peering LAN. */
    public Rib() {
        this(DecisionOptions.DEFAULTS, NextHopResolver.ON_LINK);
    }

    public DecisionProcess decision() {
        return decision;
    }

    public RouteServerView routeServer() {
        return routeServer;
    }

    /** Applies a batch of events, then recomputes each touched prefix once and publishes changes. */
    public void apply(List<? extends RibEvent> batch) {
        RuntimeException[] refused = applyAll(List.of(batch));
        if (refused != null) throw refused[0];
    }

    /**
     * Applies several batches as one: each batch is checked on its own and a refused batch (see
     * {@link #checkPeers}) is skipped whole, with nothing of it applied; the others' events run in
     * order, then every touched prefix is recomputed once and changes are published once. This is
     * how {@link RibExecutor} amortises the decision process and the export wake-ups over every
     * UPDATE that arrived while the previous batch ran. Returns null when every batch was applied,
     * else, per batch, why it was refused (null for those applied).
     */
    public RuntimeException[] applyAll(List<? extends List<? extends RibEvent>> batches) {
        RuntimeException[] refused = null;
        java.util.BitSet upSoFar = null; // peers brought up by earlier batches of this call
        List<PeerInfo> joined = null;
        for (int b = 0, nb = batches.size(); b < nb; b++) {
            List<? extends RibEvent> batch = batches.get(b);
            try {
                checkPeers(batch, upSoFar);
            } catch (IllegalArgumentException e) {
                if (refused == null) refused = new RuntimeException[nb];
                refused[b] = e;
                continue;
            }
            for (int k = 0, n = batch.size(); k < n; k++) {
                RibEvent e = batch.get(k);
                // consecutive session losses pile up; anything else sees their paths gone first
                if (goneNotRemoved != null && !(e instanceof RibEvent.PeerDown d && !d.gracefulRestart())) removeGonePeers();
                if (e instanceof RibEvent.Announce a) {
                    announce(a);
                } else if (e instanceof RibEvent.Withdraw w) {
                    withdraw(w);
                } else if (e instanceof RibEvent.PeerUp up) {
                    if (upSoFar == null) upSoFar = new java.util.BitSet();
                    upSoFar.set(up.peerId());
                    peerUp(up.peer());
                    if (up.peer().routeServerClient()) {
                        if (joined == null) joined = new ArrayList<>();
                        joined.add(up.peer());
                    }
                } else if (e instanceof RibEvent.PeerDown down) {
                    if (joined != null) joined.removeIf(p -> p.id() == down.peerId());
                    peerDown(down);
                } else if (e instanceof RibEvent.EndOfRib eor) {
                    sweepStale(eor.peerId(), eor.family());
                } else if (e instanceof RibEvent.NextHopsChanged) {
                    resolveNextHops();
                } else if (e instanceof RibEvent.RestartTimerExpired t) {
                    // a timer from an older restart must not cut a newer one short
                    if (t.epoch() == peers.restartEpoch(t.peerId())) sweepStale(t.peerId(), null);
                }
            }
        }
        removeGonePeers();
        int touchedHere = touchedCount;
        for (int k = 0; k < touchedHere; k++) recompute(touched[k]);
        touchedCount = 0;
        // give a big batch's memory back once batches are small again (not after each big one: a
        // full table arrives in many big batches, and regrowing by doubling each time is garbage)
        if (touched.length > 65536 && touchedHere < touched.length >>> 4) touched = new int[256];
        // clients that came up get the whole table once the batch's own routes are in
        if (joined != null) for (PeerInfo p : joined) routeServer.join(p);
        publish();
        return refused;
    }

    /**
     * A batch naming a peer that was never up (neither known nor brought up earlier in the same
     * batch or in {@code upBefore}, which may be null) is a wiring bug: refuse it whole, before any
     * change.
     */
    private void checkPeers(List<? extends RibEvent> batch, java.util.BitSet upBefore) {
        java.util.BitSet upInBatch = null;
        for (int k = 0, n = batch.size(); k < n; k++) {
            RibEvent e = batch.get(k);
            if (e instanceof RibEvent.PeerUp up) {
                if (upInBatch == null) upInBatch = new java.util.BitSet();
                upInBatch.set(up.peerId());
            } else if (e.peerId() >= 0 && !peers.known(e.peerId()) && (upBefore == null || !upBefore.get(e.peerId()))
                    && (upInBatch == null || !upInBatch.get(e.peerId()))) {
                throw new IllegalArgumentException("event for unknown peer id " + e.peerId() + " (no PeerUp yet): " + e);
            }
        }
    }

    public void apply(RibEvent event) {
        apply(List.of(event));
    }

    private void peerUp(PeerInfo p) {
        PeerInfo old = peers.known(p.id()) ? peers.get(p.id()) : null;
        peers.put(p);
        // RFC 4724 section 4.2: the session is back, the restart timer stops; stale paths now wait
        // for End-of-RIB (or the executor's stale-path timer, numbered by this new epoch)
        peers.nextRestartEpoch(p.id());
        if (old != null && !old.importPolicy().equals(p.importPolicy())) reapplyImport(p);
    }

    /**
     * The import policy changed: re-run it over what the peer sent, kept pre-policy in the
     * Adj-RIB-In, without asking the peer for a route refresh (RFC 2918 not needed).
     */
    private void reapplyImport(PeerInfo p) {
        forEachSet((table, slot, ps) -> {
            Prefix prefix = null;
            for (int i = 0; i < ps.size(); i++) {
                if (ps.peer(i) != p.id()) continue;
                if (prefix == null) prefix = table.prefix(slot);
                int flags = (ps.flags(i) & (PathSet.STALE | PathSet.UNRESOLVED)) | importFlags(p.importPolicy(), prefix, ps.attrs(i));
                if (flags != ps.flags(i)) {
                    ps.put(p.id(), ps.pathId(i), flags, ps.attrs(i), ++arrivals, ps.igpCost(i));
                    touch(table, slot, ps);
                }
            }
        });
    }

    /** Asks the resolver again for every distinct attribute set; paths whose result moved are touched. */
    private void resolveNextHops() {
        Map<RouteAttributes, Long> costs = new java.util.IdentityHashMap<>();
        forEachSet((table, slot, ps) -> {
            for (int i = 0; i < ps.size(); i++) {
                RouteAttributes a = ps.attrs(i);
                long cost = costs.computeIfAbsent(a, x -> resolver.cost(x.nextHopUnsafe()));
                boolean unresolved = cost == NextHopResolver.UNRESOLVABLE;
                int flags = unresolved ? ps.flags(i) | PathSet.UNRESOLVED : ps.flags(i) & ~PathSet.UNRESOLVED;
                long newCost = unresolved ? 0 : Math.min(cost, PathSet.MAX_COST);
                if (flags != ps.flags(i) || newCost != ps.igpCost(i)) {
                    ps.put(ps.peer(i), ps.pathId(i), flags, a, ++arrivals, newCost);
                    touch(table, slot, ps);
                }
            }
        });
    }

    private void peerDown(RibEvent.PeerDown down) {
        int peer = down.peerId();
        peers.get(peer);
        routeServer.leave(peer);
        if (down.gracefulRestart()) {
            // RFC 4724 section 4.2: keep the routes, marked stale, across the restart
            peers.nextRestartEpoch(peer);
            forEachSet((table, slot, ps) -> ps.markStale(peer));
        } else {
            // RFC 4271 section 8.2.2: every path of the peer goes. Deferred, so that sessions that
            // drop together (a LAN outage, a restart of many members) cost one pass over the table
            if (goneNotRemoved == null) goneNotRemoved = new java.util.BitSet();
            goneNotRemoved.set(peer);
        }
    }

    /** Peers that went down (no graceful restart) whose paths are still to be removed, or null. */
    private java.util.BitSet goneNotRemoved;

    /** Removes the paths of every peer in {@link #goneNotRemoved}, in one pass over the table. */
    private void removeGonePeers() {
        java.util.BitSet gone = goneNotRemoved;
        if (gone == null) return;
        goneNotRemoved = null;
        forEachSet((table, slot, ps) -> {
            boolean changed = false;
            for (int i = ps.size() - 1; i >= 0; i--) {
                int peer = ps.peer(i);
                if (gone.get(peer)) {
                    ps.removeAt(i);
                    count(peer, -1);
                    changed = true;
                }
            }
            if (changed) touch(table, slot, ps);
        });
    }

    /**
     * The epoch of the peer's latest session change (PeerUp or a graceful PeerDown), for
     * {@link RibEvent.RestartTimerExpired}: only a timer started in the current epoch sweeps.
     */
    public long restartEpoch(int peerId) {
        return peers.restartEpoch(peerId);
    }

    private void announce(RibEvent.Announce a) {
        int peer = a.peerId();
        PeerInfo info = peers.get(peer);
        RouteAttributes attrs = intern(a.attributes());
        long cost = resolver.cost(attrs.nextHopUnsafe());
        int baseFlags = cost == NextHopResolver.UNRESOLVABLE ? PathSet.UNRESOLVED : 0;
        ImportPolicy policy = info.importPolicy();
        List<Nlri> nlri = a.nlri();
        int shared = -1; // the policy's verdict for every prefix of the event, when it ignores the prefix
        if (!policy.dependsOnPrefix() && !nlri.isEmpty()) shared = importFlags(policy, nlri.get(0).prefix(), attrs);
        for (int k = 0, size = nlri.size(); k < size; k++) {
            Nlri n = nlri.get(k);
            Prefix p = n.prefix();
            int flags = baseFlags | (shared >= 0 ? shared : importFlags(policy, p, attrs));
            PrefixTable table = table(p);
            int slot = table.findOrAdd(p);
            PathSet ps = work.bind(table, slot);
            int before = ps.size();
            if (ps.put(peer, n.pathId(), flags, attrs, ++arrivals, cost)) touch(table, slot, ps);
            count(peer, ps.size() - before);
        }
    }

    private int importFlags(ImportPolicy policy, Prefix p, RouteAttributes attrs) {
        String reason = policy.rejectReason(p, attrs);
        return reason == null ? 0 : PathSet.FILTERED | (reasonId(reason) << PathSet.REASON_SHIFT);
    }

    private RouteAttributes lastInput;
    private RouteAttributes lastInterned;

    /**
     * One shared instance per distinct attribute set. Consecutive announcements very often carry
     * the very same object (a session's decoder reuses what it decoded for identical bytes; one
     * UPDATE with several next hops): those skip the interner's deep equality.
     */
    private RouteAttributes intern(RouteAttributes a) {
        if (a == lastInput) return lastInterned;
        RouteAttributes i = interner.intern(a);
        lastInput = a;
        lastInterned = i;
        return i;
    }

    private void withdraw(RibEvent.Withdraw w) {
        for (Nlri n : w.nlri()) {
            PrefixTable table = table(n.prefix());
            int slot = table.find(n.prefix());
            PathSet ps = slot < 0 ? null : work.bind(table, slot);
            if (ps != null && ps.remove(w.peerId(), n.pathId())) {
                count(w.peerId(), -1);
                touch(table, slot, ps);
            }
        }
    }

    private void sweepStale(int peer, AfiSafi family) {
        forEachSet((table, slot, ps) -> {
            if (family != null && !family.equals(table.v6() ? AfiSafi.IPV6_UNICAST : AfiSafi.IPV4_UNICAST)) return;
            int before = ps.size();
            if (ps.removePeer(peer, PathSet.STALE)) {
                count(peer, ps.size() - before);
                touch(table, slot, ps);
            }
        });
    }

    private void touch(PrefixTable table, int slot, PathSet ps) {
        if (!ps.mark()) return;
        if (touchedCount == touched.length) touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
        touched[touchedCount++] = id(table, slot);
    }

    /** Recomputes one changed prefix: Loc-RIB best, subscribers, route-server groups. */
    private void recompute(int id) {
        PrefixTable table = tableOf(id);
        int slot = slotOf(id);
        PathSet ps = work.bind(table, slot); // possibly with no path left
        ps.unmark();
        int n = eligibleCursors(ps);
        int best = decision.best(eligible, n);
        long stamp = best < 0 ? 0 : ((PathCursor) eligible[best]).set.stamp(((PathCursor) eligible[best]).i);
        boolean bestChanged = ps.bestStamp() != stamp;
        ps.bestStamp(stamp);
        if (bestChanged && !bestSubscribers.isEmpty()) for (ChangeSubscription s : bestSubscribers) mark(s, id);
        if (!allPathSubscribers.isEmpty()) for (ChangeSubscription s : allPathSubscribers) mark(s, id);
        routeServer.prefixChanged(id, ps, n);
        ps.settle();
    }

    /** Fills {@link #eligible} with cursors over the eligible paths of {@code ps}; returns how many. */
    int eligibleCursors(PathSet ps) {
        if (cursors.length < ps.size()) {
            int old = cursors.length;
            cursors = java.util.Arrays.copyOf(cursors, Math.max(ps.size(), old * 2));
            eligible = new PathView[cursors.length];
            for (int k = old; k < cursors.length; k++) cursors[k] = new PathCursor(peers);
        }
        int n = 0;
        for (int i = 0; i < ps.size(); i++) if (ps.eligible(i)) eligible[n] = cursors[n++].at(ps, i);
        return n;
    }

    private final List<ChangeSubscription> toNotify = new ArrayList<>();

    private void mark(ChangeSubscription s, int id) {
        if (s.mark(id)) toNotify.add(s);
    }

    private void publish() {
        for (ChangeSubscription s : toNotify) s.notifyPending();
        toNotify.clear();
        routeServer.publish();
    }

    /** Subscribes to the change stream: best-path changes only, or every path-set change. */
    public ChangeSubscription subscribe(boolean allPaths, Runnable onPending) {
        ChangeSubscription s = new ChangeSubscription(this, allPaths, onPending);
        (allPaths ? allPathSubscribers : bestSubscribers).add(s);
        return s;
    }

    void unsubscribe(ChangeSubscription s) {
        bestSubscribers.remove(s);
        allPathSubscribers.remove(s);
    }

    // ---- reads (RIB thread) ----

    /** The Loc-RIB best route of the prefix, or null. */
    public Route best(Prefix p) {
        PathSet ps = pathsOf(p);
        if (ps == null) return null;
        int i = ps.bestIndex();
        return i < 0 ? null : route(p, ps, i);
    }

    /** Why the best route won against the runner-up, or null when the prefix has no eligible path. */
    public BestPathReason bestReason(Prefix p) {
        PathSet ps = pathsOf(p);
        if (ps == null) return null;
        int n = eligibleCursors(ps);
        if (n == 0) return null;
        return decision.explain(java.util.Arrays.copyOf(eligible, n), n, decision.best(eligible, n));
    }

    /** Every path of the prefix, filtered and stale ones included, in (peer id, path id) order. */
    public List<Route> paths(Prefix p) {
        PathSet ps = pathsOf(p);
        List<Route> out = new ArrayList<>();
        if (ps != null) for (int i = 0; i < ps.size(); i++) out.add(route(p, ps, i));
        return out;
    }

    /** The peer's Adj-RIB-In for a family, before policy: what it sent, filtered routes included. */
    public List<Route> adjRibIn(int peerId, AfiSafi family) {
        List<Route> out = new ArrayList<>();
        PrefixTable table = family.equals(AfiSafi.IPV6_UNICAST) ? v6 : family.equals(AfiSafi.IPV4_UNICAST) ? v4 : null;
        if (table == null) return out;
        PathSet ps = new PathSet();
        for (int slot = 0; slot < table.slots(); slot++) {
            if (!table.hasPaths(slot)) continue;
            ps.bind(table, slot);
            for (int i = 0; i < ps.size(); i++) if (ps.peer(i) == peerId) out.add(route(table.prefix(slot), ps, i));
        }
        return out;
    }

    /** One peer's paths in one family: held (pre-policy), eligible, filtered by import policy, stale. */
    public record PathCounts(int peer, long received, long accepted, long filtered, long stale) {}

    /**
     * Per-peer path counts of a family in one pass over the table (metrics scrape: one pass for all
     * peers instead of one {@link #adjRibIn} per peer); peers without paths in the family are absent.
     */
    public List<PathCounts> pathCounts(AfiSafi family) {
        PrefixTable table = family.equals(AfiSafi.IPV6_UNICAST) ? v6 : family.equals(AfiSafi.IPV4_UNICAST) ? v4 : null;
        Map<Integer, long[]> byPeer = new HashMap<>();
        if (table != null) {
            PathSet ps = new PathSet();
            for (int slot = 0; slot < table.slots(); slot++) {
                if (!table.hasPaths(slot)) continue;
                ps.bind(table, slot);
                for (int i = 0; i < ps.size(); i++) {
                    long[] c = byPeer.computeIfAbsent(ps.peer(i), k -> new long[4]);
                    int flags = ps.flags(i);
                    c[0]++;
                    if ((flags & (PathSet.FILTERED | PathSet.UNRESOLVED)) == 0) c[1]++;
                    if ((flags & PathSet.FILTERED) != 0) c[2]++;
                    if ((flags & PathSet.STALE) != 0) c[3]++;
                }
            }
        }
        List<PathCounts> out = new ArrayList<>();
        byPeer.forEach((peer, c) -> out.add(new PathCounts(peer, c[0], c[1], c[2], c[3])));
        return out;
    }

    /** Number of prefixes with at least one path in the family. */
    public int prefixCount(AfiSafi family) {
        return family.equals(AfiSafi.IPV6_UNICAST) ? v6.prefixCount() : family.equals(AfiSafi.IPV4_UNICAST) ? v4.prefixCount() : 0;
    }

    private void count(int peer, int delta) {
        routes += delta;
        peers.count(peer, delta);
    }

    /** Number of paths held from one peer (pre-policy: filtered and stale included), e.g. for max-prefix. */
    public long routeCount(int peerId) {
        return peers.known(peerId) ? peers.routes(peerId) : 0;
    }

    /** Number of paths held (all peers, all families, filtered and stale included). */
    public long routeCount() {
        return routes;
    }

    public PeerInfo peer(int id) {
        return peers.known(id) ? peers.get(id) : null;
    }

    Route route(Prefix p, PathSet ps, int i) {
        int flags = ps.flags(i);
        String reason = (flags & PathSet.FILTERED) != 0 ? reasons.get((flags >>> PathSet.REASON_SHIFT) & PathSet.REASON_MASK) : null;
        return new Route(p, peers.get(ps.peer(i)), ps.pathId(i), ps.attrs(i), (flags & PathSet.STALE) != 0, reason,
                (flags & PathSet.UNRESOLVED) != 0, ps.igpCost(i));
    }

    /** The prefix's id (slot << 1 | family bit), or -1 when the prefix was never seen. */
    int idOf(Prefix p) {
        PrefixTable t = table(p);
        int slot = t.find(p);
        return slot < 0 ? -1 : id(t, slot);
    }

    /** One past the largest prefix id in use (ids interleave the two families). */
    int idLimit() {
        return 2 * Math.max(v4.slots(), v6.slots());
    }

    /** Whether the id names an allocated slot of its family. */
    boolean validId(int id) {
        return slotOf(id) < tableOf(id).slots();
    }

    PathView[] eligibleView() {
        return eligible;
    }

    /** The prefix's paths (bound to {@link #reader}), or null when it has none. */
    private PathSet pathsOf(Prefix p) {
        PrefixTable t = table(p);
        int slot = t.find(p);
        return slot < 0 || !t.hasPaths(slot) ? null : reader.bind(t, slot);
    }

    private int reasonId(String reason) {
        Integer id = reasonIds.get(reason);
        if (id != null) return id;
        if (reasons.size() > PathSet.REASON_MASK) return PathSet.REASON_MASK; // the last id stands for "many"
        reasons.add(reason);
        reasonIds.put(reason, reasons.size() - 1);
        return reasons.size() - 1;
    }

    // ---- prefix ids: slot << 1 | family bit, valid in dirty sets for the table's lifetime ----

    private PrefixTable table(Prefix p) {
        return p.v6() ? v6 : v4;
    }

    static int id(PrefixTable table, int slot) {
        return slot << 1 | (table.v6() ? 1 : 0);
    }

    PrefixTable tableOf(int id) {
        return (id & 1) != 0 ? v6 : v4;
    }

    static int slotOf(int id) {
        return id >>> 1;
    }

    Prefix prefixOf(int id) {
        return tableOf(id).prefix(slotOf(id));
    }

    /**
     * The prefix's paths, or null when it has none. The flyweight is shared by the RIB's reads: it
     * is valid until the next read binds it to another prefix.
     */
    PathSet pathSetOf(int id) {
        PrefixTable t = tableOf(id);
        int slot = slotOf(id);
        return t.hasPaths(slot) ? reader.bind(t, slot) : null;
    }

    Peers peers() {
        return peers;
    }

    interface SetVisitor {
        void visit(PrefixTable table, int slot, PathSet ps);
    }

    /** Visits every prefix with at least one path, with a flyweight of its own (the visitor may read the RIB). */
    void forEachSet(SetVisitor v) {
        PathSet ps = new PathSet();
        for (PrefixTable t : new PrefixTable[] {v4, v6}) {
            for (int slot = 0; slot < t.slots(); slot++) {
                if (t.hasPaths(slot)) v.visit(t, slot, ps.bind(t, slot));
            }
        }
    }
}
