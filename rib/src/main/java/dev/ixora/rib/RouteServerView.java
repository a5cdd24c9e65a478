package dev.ixora.rib;

import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Per-client route-server views (RFC 7947). Each client gets, per prefix, the best path among the
 * paths its export policy allows and that did not come from the client itself: the path-hiding
 * mitigation of RFC 7947 section 2.3.1 (best over the client's allowed candidates, not the global
 * best). Clients with equal export policies form an update group sharing one computation: per
 * prefix the group keeps b1 = best allowed path and b2 = best allowed path from a peer other than
 * b1's; a client gets b1, or b2 when b1 is its own (RFC 7947 section 2: never back to its source).
 *
 * <p>Export is state-based: each client has a dirty set of prefixes whose choice changed since it
 * last drained; {@link #drain} yields the current choice. Confined to the RIB thread.
 */
public final class RouteServerView {
    private final Rib rib;
    private final Map<ExportPolicy, Group> groups = new LinkedHashMap<>();
    private final Map<Integer, Client> clients = new HashMap<>();
    private final List<Client> toNotify = new ArrayList<>();
    private PathView[] scratch = new PathView[8];
    private IntConsumer onPending = id -> { };

    RouteServerView(Rib rib) {
        this.rib = rib;
    }

    /** Called on the RIB thread with a client id when that client goes from nothing pending to something pending. */
    public void onPending(IntConsumer listener) {
        this.onPending = listener;
    }

    /** Number of prefixes waiting for the client (0 also when the client is unknown). */
    public int changedSince(int clientId) {
        Client c = clients.get(clientId);
        return c == null ? 0 : c.dirty.size();
    }

    /**
     * Up to {@code maxPrefixes} pending prefixes of the client with what to send now: the chosen
     * route, or a withdrawal. A client whose socket is blocked simply does not call this.
     */
    public List<ExportedRoute> drain(int clientId, int maxPrefixes) {
        Client c = clients.get(clientId);
        if (c == null) return List.of();
        List<ExportedRoute> out = new ArrayList<>(Math.min(maxPrefixes, c.dirty.size()));
        for (int n = 0; n < maxPrefixes; n++) {
            int id = c.dirty.poll();
            if (id < 0) break;
            out.add(new ExportedRoute(rib.prefixOf(id), chosenRoute(c, id)));
        }
        return out;
    }

    /** The route the client should hold for the prefix right now, or null (looking glass). */
    public Route chosen(int clientId, Prefix p) {
        Client c = clients.get(clientId);
        int id = rib.idOf(p);
        return c == null || id < 0 ? null : chosenRoute(c, id);
    }

    /** Number of update groups (distinct export policies among connected clients). */
    public int groupCount() {
        return groups.size();
    }

    public boolean isClient(int peerId) {
        return clients.containsKey(peerId);
    }

    private Route chosenRoute(Client c, int id) {
        long choice = c.group.choice(c.id, id);
        if (choice == 0) return null;
        PathSet ps = rib.pathSetOf(id);
        long arrival = choice >>> 16;
        for (int i = 0; ps != null && i < ps.size; i++) {
            if (ps.arrival(i) == arrival) return rib.route(rib.prefixOf(id), ps, i);
        }
        throw new IllegalStateException("group state points at a path that is gone: prefix " + rib.prefixOf(id));
    }

    /** A client session is up: it joins its group and every prefix it should receive becomes pending. */
    void join(PeerInfo p) {
        leave(p.id());
        Group g = groups.get(p.exportPolicy());
        if (g == null) {
            g = new Group(p.exportPolicy());
            groups.put(p.exportPolicy(), g);
            Group fresh = g;
            rib.forEachSet((table, slot, ps) -> {
                int id = Rib.id(table, slot);
                compute(fresh, id, ps, rib.eligibleCursors(ps));
            });
        }
        Client c = new Client(p.id(), g);
        g.members = Arrays.copyOf(g.members, g.members.length + 1);
        g.members[g.members.length - 1] = c;
        clients.put(c.id, c);
        rib.forEachSet((table, slot, ps) -> {
            int id = Rib.id(table, slot);
            if (c.group.choice(c.id, id) != 0) mark(c, id);
        });
    }

    /** A client session ended: its pending set goes with it; the next session starts from a full table. */
    void leave(int peerId) {
        Client c = clients.remove(peerId);
        if (c == null) return;
        Group g = c.group;
        g.members = Arrays.stream(g.members).filter(m -> m != c).toArray(Client[]::new);
        if (g.members.length == 0) groups.remove(g.policy);
    }

    /** The paths of one prefix changed: recompute each group, mark the clients whose choice moved. */
    void prefixChanged(int id, PathSet ps, PathView[] eligible, int n) {
        for (Group g : groups.values()) {
            long oldB1 = g.b1(id), oldB2 = g.b2(id);
            if (ps == null) n = 0;
            compute(g, id, ps, n);
            long newB1 = g.b1(id), newB2 = g.b2(id);
            if (oldB1 == newB1 && oldB2 == newB2) continue;
            for (Client c : g.members) {
                if (Group.choose(c.id, oldB1, oldB2) != Group.choose(c.id, newB1, newB2)) mark(c, id);
            }
        }
    }

    /** Sets the group's b1/b2 for the prefix from the first {@code n} cursors of the RIB's eligible array. */
    private void compute(Group g, int id, PathSet ps, int n) {
        PathView[] eligible = rib.eligibleView();
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
                ok = g.policy.permits(prefix, rib.peers().get(pc.peer()), ps.attrs[pc.i]);
            }
            if (ok) scratch[m++] = pc;
        }
        DecisionProcess dp = rib.decision();
        int b1 = dp.best(scratch, m);
        long b1v = 0, b2v = 0;
        if (b1 >= 0) {
            PathCursor best = (PathCursor) scratch[b1];
            int b1Peer = best.peer();
            b1v = Group.value(ps.arrival(best.i), b1Peer);
            int r = 0;
            for (int k = 0; k < m; k++) {
                if (((PathCursor) scratch[k]).peer() != b1Peer) scratch[r++] = scratch[k];
            }
            int b2 = dp.best(scratch, r);
            if (b2 >= 0) {
                PathCursor second = (PathCursor) scratch[b2];
                b2v = Group.value(ps.arrival(second.i), second.peer());
            }
        }
        g.set(id, b1v, b2v);
    }

    private void mark(Client c, int id) {
        boolean wasEmpty = c.dirty.isEmpty();
        if (c.dirty.add(id) && wasEmpty) toNotify.add(c);
    }

    void publish() {
        for (Client c : toNotify) if (clients.get(c.id) == c) onPending.accept(c.id);
        toNotify.clear();
    }

    private static final class Client {
        final int id;
        final Group group;
        final DirtySet dirty = new DirtySet();

        Client(int id, Group group) {
            this.id = id;
            this.group = group;
        }
    }

    /** An update group: clients with one export policy, and per prefix id its b1/b2 (arrival << 16 | peer). */
    private static final class Group {
        final ExportPolicy policy;
        Client[] members = new Client[0];
        // per family (id & 1), per slot (id >>> 1): [2*slot] = b1, [2*slot+1] = b2, 0 = none
        final long[][] best = {new long[0], new long[0]};

        Group(ExportPolicy policy) {
            this.policy = policy;
        }

        static long value(long arrival, int peer) {
            return arrival << 16 | peer;
        }

        static long choose(int client, long b1, long b2) {
            if (b1 == 0) return 0;
            return (int) (b1 & 0xFFFF) != client ? b1 : b2;
        }

        long choice(int client, int id) {
            return choose(client, b1(id), b2(id));
        }

        long b1(int id) {
            long[] b = best[id & 1];
            int k = 2 * (id >>> 1);
            return k < b.length ? b[k] : 0;
        }

        long b2(int id) {
            long[] b = best[id & 1];
            int k = 2 * (id >>> 1) + 1;
            return k < b.length ? b[k] : 0;
        }

        void set(int id, long b1, long b2) {
            int fam = id & 1;
            int k = 2 * (id >>> 1);
            if (k + 1 >= best[fam].length) {
                if (b1 == 0 && b2 == 0) return;
                best[fam] = Arrays.copyOf(best[fam], Math.max(k + 2, best[fam].length * 3 / 2 + 2));
            }
            best[fam][k] = b1;
            best[fam][k + 1] = b2;
        }
    }
}
