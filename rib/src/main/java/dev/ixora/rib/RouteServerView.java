package dev.ixora.rib;

import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Per-client route-server views (RFC 7947). Each client gets, per prefix, the best path among the
 * paths its export policy allows and that did not come from the client itself: the path-hiding
 * mitigation of RFC 7947 section 2.3.1 (best over the client's allowed candidates, not the global
 * best), and RFC 7947 section 2's "never back to the peer it came from". Clients with equal export
 * policies form an {@link UpdateGroup} that computes, logs and materialises changes once for all
 * of them.
 *
 * <p>Export is state-based: a client drains what changed since it last drained, each prefix with
 * its current choice; a client whose socket is blocked simply does not drain, and what it owes
 * stays bounded by the number of prefixes. Confined to the RIB thread.
 */
public final class RouteServerView {
    private final Rib rib;
    private final Map<ExportPolicy, UpdateGroup> groups = new LinkedHashMap<>();
    /** {@link #groups}' values, for the per-prefix loop (no iterator per prefix). */
    private UpdateGroup[] groupArray = new UpdateGroup[0];
    private final Map<Integer, UpdateGroup.Member> clients = new HashMap<>();
    private final List<UpdateGroup.Member> toNotify = new ArrayList<>();
    private PathView[] scratch = new PathView[8];
    private IntConsumer onPending = id -> { };
    private int groupNumbers;

    RouteServerView(Rib rib) {
        this.rib = rib;
    }

    /**
     * Called on the RIB thread, at the end of a batch, with each client that went from nothing
     * pending to something pending (one wake-up per drain, not one per change).
     */
    public void onPending(IntConsumer listener) {
        this.onPending = listener;
    }

    /** True when a drain of the client may return something (cheap; may be a false positive). */
    public boolean hasPending(int clientId) {
        UpdateGroup.Member m = clients.get(clientId);
        return m != null && (m.dumpNext >= 0 || !m.extra.isEmpty() || m.cursor < m.group.end());
    }

    /**
     * True when the client's next drain reads only the change log (its table dump is done and no
     * extras wait): then what it returns holds each prefix at most once, since the log holds at
     * most one live entry per prefix and nothing changes during a drain. False otherwise, and for
     * an unknown client.
     */
    public boolean nextDrainDistinct(int clientId) {
        UpdateGroup.Member m = clients.get(clientId);
        return m != null && m.dumpNext < 0 && m.extra.isEmpty();
    }

    /**
     * Number of prefixes the client is owed (0 also for an unknown client); an upper bound, since a
     * withdrawal of something it never got is dropped at drain time. Counts by scanning what is
     * pending: for tests, metrics and the looking glass, not for every write.
     */
    public int changedSince(int clientId) {
        UpdateGroup.Member m = clients.get(clientId);
        if (m == null) return 0;
        DirtySet owed = new DirtySet();
        if (m.dumpNext >= 0) {
            for (int id = m.dumpNext; id < rib.idLimit(); id++) if (rib.validId(id) && m.group.choice(m.id, id) != 0) owed.add(id);
        }
        for (long seq = Math.max(m.cursor, m.group.base); seq < m.group.end(); seq++) {
            int id = m.group.entry(seq);
            if (id >= 0) owed.add(id);
        }
        DirtySet extra = m.extra;
        int n = owed.size();
        for (int k = 0, size = extra.size(); k < size; k++) { // rotate through extra without losing it
            int id = extra.poll();
            if (!owed.contains(id)) n++;
            extra.add(id);
        }
        return n;
    }

    /**
     * Up to {@code maxPrefixes} prefixes the client is owed, as a list: {@link #drain(int,
     * ExportedRoute[], int)} for tests and callers that keep the result.
     */
    public List<ExportedRoute> drain(int clientId, int maxPrefixes) {
        List<ExportedRoute> out = new ArrayList<>();
        ExportedRoute[] buf = new ExportedRoute[Math.max(1, Math.min(maxPrefixes, 1024))];
        while (out.size() < maxPrefixes) {
            int want = Math.min(buf.length, maxPrefixes - out.size());
            int n = drain(clientId, buf, want);
            for (int i = 0; i < n; i++) out.add(buf[i]);
            if (n < want) break; // a drain stops short only when nothing is left
        }
        return out;
    }

    /**
     * Up to {@code maxPrefixes} (and at most {@code out.length}) prefixes the client is owed, each
     * with what to send now: the chosen route, or a withdrawal; written to {@code out[0, n)}, n
     * returned (the caller owns and reuses the array: no list per drain). Fewer than asked means
     * nothing more is owed now. Members of one group receive the same {@link ExportedRoute}
     * instances for the same change, so encodings can be shared. A prefix can occasionally come
     * twice (e.g. during the initial table dump): sending the current state again is harmless.
     * Withdrawals come only for prefixes the client was sent a route for (one bit per client and
     * prefix remembers that).
     */
    public int drain(int clientId, ExportedRoute[] out, int maxPrefixes) {
        UpdateGroup.Member m = clients.get(clientId);
        if (m == null) return 0;
        UpdateGroup g = m.group;
        int max = Math.min(maxPrefixes, out.length);
        int n = 0;
        while (n < max && m.dumpNext >= 0) { // the initial table dump, slot by slot
            int id = m.dumpNext++;
            if (id >= rib.idLimit()) m.dumpNext = -1;
            else if (rib.validId(id) && g.choice(m.id, id) != 0) n = emit(m, id, fresh(m, id), out, n);
        }
        for (int id; n < max && (id = m.extra.poll()) >= 0; ) n = emit(m, id, fresh(m, id), out, n);
        while (n < max && m.cursor < g.end()) {
            long seq = m.cursor++;
            int pos = (int) (seq - g.base);
            int id = g.logId(pos);
            if (id < 0) continue;
            if (g.logPeer(pos) == m.id) {
                // its own route is the group's best: it gets b2, or a withdrawal of what it holds,
                // or (the usual case: a client's own new prefix) nothing at all
                if (g.b2(id) == 0 && !m.holds(id)) continue;
                n = emit(m, id, fresh(m, id), out, n);
            } else {
                ExportedRoute r = g.shared(pos);
                if (r == null) g.shared(pos, r = exported(id, g.b1(id))); // the first member here makes it, the others share it
                n = emit(m, id, r, out, n);
            }
        }
        if (!hasPending(clientId) && !m.waiting) {
            m.waiting = true;
            g.caughtUp.add(m);
        }
        return n;
    }

    /** The route the client should hold for the prefix right now, or null (looking glass). */
    public Route chosen(int clientId, Prefix p) {
        UpdateGroup.Member m = clients.get(clientId);
        int id = rib.idOf(p);
        return m == null || id < 0 ? null : route(id, m.group.choice(m.id, id));
    }

    /**
     * Every path the client may receive for the prefix, best first: what a client that negotiated
     * ADD-PATH send (RFC 7911; RFC 7947 section 2.3.2.1) gets instead of one best path. Pair it with
     * a {@link Rib#subscribe(boolean, Runnable) all-paths subscription} to learn which prefixes to
     * re-send. Works for any peer id, connected client or not, with the given export policy.
     */
    public List<Route> allowedPaths(int clientId, ExportPolicy policy, Prefix p) {
        int id = rib.idOf(p);
        PathSet ps = id < 0 ? null : rib.pathSetOf(id);
        List<Route> out = new ArrayList<>();
        if (ps == null) return out;
        int n = rib.eligibleCursors(ps);
        PathView[] eligible = rib.eligibleView();
        List<PathView> allowed = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            PathCursor pc = (PathCursor) eligible[k];
            if (pc.peer() != clientId && policy != ExportPolicy.REJECT
                    && (policy == ExportPolicy.ACCEPT || policy.permits(p, rib.peers().get(pc.peer()), ps.attrs(pc.i)))) {
                allowed.add(new PathCursor(rib.peers()).at(ps, pc.i)); // own cursors: this list outlives the shared ones
            }
        }
        DecisionProcess dp = rib.decision();
        while (!allowed.isEmpty()) { // selection by repeated best: the same order the single-best view uses
            PathView[] arr = allowed.toArray(new PathView[0]);
            PathCursor best = (PathCursor) arr[dp.best(arr, arr.length)];
            out.add(rib.route(p, ps, best.i));
            allowed.remove(best);
        }
        return out;
    }

    /** Number of update groups (distinct export policies among connected clients). */
    public int groupCount() {
        return groups.size();
    }

    /** The client's update group number, -1 when it is not a connected client. Clients with equal numbers share output. */
    public int groupOf(int clientId) {
        UpdateGroup.Member m = clients.get(clientId);
        return m == null ? -1 : m.group.number;
    }

    java.util.Collection<UpdateGroup> groups() {
        return groups.values();
    }

    public boolean isClient(int peerId) {
        return clients.containsKey(peerId);
    }

    /** Adds the entry at {@code out[n]} unless it withdraws a prefix the client was never sent (RFC 7947 clients see no noise); the new count. */
    private static int emit(UpdateGroup.Member m, int id, ExportedRoute r, ExportedRoute[] out, int n) {
        if (r.withdrawal()) {
            if (!m.holds(id)) return n;
            m.holds(id, false);
        } else {
            m.holds(id, true);
        }
        out[n] = r;
        return n + 1;
    }

    private ExportedRoute fresh(UpdateGroup.Member m, int id) {
        return exported(id, m.group.choice(m.id, id));
    }

    /**
     * What to send for the prefix given a group choice (0: a withdrawal), from the packed tables:
     * the prefix's bits and the chosen path's fields, no Prefix or Route object (see
     * {@link ExportedRoute}). A choice always names an eligible path: b1/b2 come from the eligible
     * cursors and are recomputed whenever the prefix's paths change.
     */
    private ExportedRoute exported(int id, long choice) {
        PrefixTable t = rib.tableOf(id);
        int slot = Rib.slotOf(id);
        long hi = t.hiAt(slot), lo = t.loAt(slot);
        int length = t.lengthAt(slot);
        if (choice == 0) return new ExportedRoute(hi, lo, length, t.v6(), null, null, -1, false, 0);
        PathSet ps = rib.pathSetOf(id);
        long arrival = choice >>> 16;
        for (int i = 0, size = ps == null ? 0 : ps.size(); i < size; i++) {
            if (ps.arrival(i) == arrival) {
                return new ExportedRoute(hi, lo, length, t.v6(), rib.peers().get(ps.peer(i)), ps.attrs(i), ps.pathId(i),
                        (ps.flags(i) & PathSet.STALE) != 0, ps.igpCost(i));
            }
        }
        throw new IllegalStateException("update group points at a path that is gone: prefix " + rib.prefixOf(id));
    }

    private Route route(int id, long choice) {
        return choice == 0 ? null : route(rib.prefixOf(id), id, choice);
    }

    private Route route(Prefix prefix, int id, long choice) {
        if (choice == 0) return null;
        PathSet ps = rib.pathSetOf(id);
        long arrival = choice >>> 16;
        for (int i = 0; ps != null && i < ps.size(); i++) {
            if (ps.arrival(i) == arrival) return rib.route(prefix, ps, i);
        }
        throw new IllegalStateException("update group points at a path that is gone: prefix " + rib.prefixOf(id));
    }

    /** A client session is up: it joins its group and is owed the whole table. */
    void join(PeerInfo p) {
        leave(p.id());
        UpdateGroup g = groups.get(p.exportPolicy());
        if (g == null) {
            UpdateGroup fresh = new UpdateGroup(p.exportPolicy(), groupNumbers++);
            rib.forEachSet((table, slot, ps) -> {
                int id = Rib.id(table, slot);
                fresh.set(id, compute(fresh, id, ps, rib.eligibleCursors(ps)), computedB2);
            });
            groups.put(p.exportPolicy(), g = fresh);
            groupArray = groups.values().toArray(new UpdateGroup[0]);
        }
        UpdateGroup.Member m = new UpdateGroup.Member(p.id(), g);
        m.cursor = g.end();
        m.dumpNext = rib.routeCount() == 0 ? -1 : 0;
        g.members.add(m);
        clients.put(m.id, m);
        if (m.dumpNext >= 0) {
            toNotify.add(m);
        } else {
            m.waiting = true;
            g.caughtUp.add(m);
        }
    }

    /** A client session ended: what it was owed goes with it; its next session starts with a full dump. */
    void leave(int peerId) {
        UpdateGroup.Member m = clients.remove(peerId);
        if (m == null) return;
        UpdateGroup g = m.group;
        g.members.remove(m);
        g.caughtUp.remove(m);
        if (g.members.isEmpty()) {
            groups.remove(g.policy);
            groupArray = groups.values().toArray(new UpdateGroup[0]);
        }
    }

    /** The paths of one prefix changed: recompute each group; log b1 changes, route b2-only ones. */
    void prefixChanged(int id, PathSet ps, int n) {
        UpdateGroup[] gs = groupArray;
        for (int k = 0; k < gs.length; k++) {
            UpdateGroup g = gs[k];
            long oldB1 = g.b1(id), oldB2 = g.b2(id);
            long b1 = compute(g, id, ps, ps == null ? 0 : n);
            long b2 = computedB2;
            if (b1 != oldB1 || b2 != oldB2) g.set(id, b1, b2);
            if (oldB1 != b1) {
                g.append(id, b1);
                List<UpdateGroup.Member> caught = g.caughtUp;
                if (!caught.isEmpty()) {
                    for (int i = 0, size = caught.size(); i < size; i++) {
                        UpdateGroup.Member m = caught.get(i);
                        m.waiting = false;
                        toNotify.add(m);
                    }
                    caught.clear();
                }
            } else if (oldB2 != b2 && b1 != 0) {
                // only the source of b1 sees b2 (RFC 7947 section 2)
                UpdateGroup.Member m = clients.get(UpdateGroup.peerOf(b1));
                if (m != null && m.group == g) {
                    m.extra.add(id);
                    if (m.waiting) {
                        m.waiting = false;
                        g.caughtUp.remove(m);
                        toNotify.add(m);
                    }
                }
            }
        }
    }

    /** b2 of the last {@link #compute}. */
    private long computedB2;

    /**
     * The group's b1 for the prefix from the first {@code n} cursors of the RIB's eligible array
     * (b2 in {@link #computedB2}); the caller stores them.
     */
    private long compute(UpdateGroup g, int id, PathSet ps, int n) {
        PathView[] eligible = rib.eligibleView();
        computedB2 = 0;
        if (n <= 1 && g.policy == ExportPolicy.ACCEPT) { // the common case: one path, nothing to choose
            if (n == 0) return 0;
            PathCursor only = (PathCursor) eligible[0];
            return UpdateGroup.value(ps.arrival(only.i), only.peer());
        }
        int m = 0;
        if (scratch.length < n) scratch = new PathView[Math.max(n, scratch.length * 2)];
        Prefix prefix = null;
        for (int k = 0; k < n; k++) {
            PathCursor pc = (PathCursor) eligible[k];
            boolean ok;
            if (g.policy == ExportPolicy.ACCEPT) ok = true;
            else if (g.policy == ExportPolicy.REJECT) ok = false;
            else {
                if (prefix == null) prefix = rib.prefixOf(id);
                ok = g.policy.permits(prefix, rib.peers().get(pc.peer()), ps.attrs(pc.i));
            }
            if (ok) scratch[m++] = pc;
        }
        DecisionProcess dp = rib.decision();
        int b1 = dp.best(scratch, m);
        long b1v = 0, b2v = 0;
        if (b1 >= 0) {
            PathCursor best = (PathCursor) scratch[b1];
            int b1Peer = best.peer();
            b1v = UpdateGroup.value(ps.arrival(best.i), b1Peer);
            int r = 0;
            for (int k = 0; k < m; k++) {
                if (((PathCursor) scratch[k]).peer() != b1Peer) scratch[r++] = scratch[k];
            }
            int b2 = dp.best(scratch, r);
            if (b2 >= 0) {
                PathCursor second = (PathCursor) scratch[b2];
                b2v = UpdateGroup.value(ps.arrival(second.i), second.peer());
            }
        }
        computedB2 = b2v;
        return b1v;
    }

    void publish() {
        for (UpdateGroup.Member m : toNotify) {
            if (clients.get(m.id) == m && hasPending(m.id)) onPending.accept(m.id);
        }
        toNotify.clear();
    }
}
