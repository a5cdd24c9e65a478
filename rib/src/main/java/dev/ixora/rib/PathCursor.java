package dev.ixora.rib;

/**
 * A reusable {@link PathView} over path {@code i} of a prefix's {@link PathSet}: the decision
 * process reads packed tables through it without an object per route. It binds a flyweight of its
 * own to the prefix, so rebinding the one it was given does not move it. Confined to the RIB thread.
 */
final class PathCursor implements PathView {
    private final Peers peers;
    final PathSet set = new PathSet();
    int i;

    PathCursor(Peers peers) {
        this.peers = peers;
    }

    PathCursor at(PathSet paths, int i) {
        set.bind(paths);
        this.i = i;
        return this;
    }

    int peer() { return set.peer(i); }
    private RouteAttributes a() { return set.attrs(i); }

    @Override public long localPref() { return a().localPref(); }
    @Override public int asPathLength() { return a().asPathLength(); }
    @Override public int origin() { return a().origin(); }
    @Override public long med() { return a().med(); }
    @Override public long neighborAs() { return a().neighborAs(); }
    @Override public boolean ebgp() { return peers.get(peer()).ebgp(); }
    @Override public long igpCost() { return set.igpCost(i); }
    @Override public long arrival() { return set.arrival(i); }
    @Override public long originatorId() { return a().originatorId(); }
    @Override public long peerRouterId() { return peers.get(peer()).routerId(); }
    @Override public int clusterListLength() { return a().clusterListLength(); }
    @Override public byte[] peerAddress() { return peers.addressBytes(peer()); }
    @Override public long pathId() { return set.pathId(i); }

    @Override
    public String toString() {
        return peers.get(peer()) + " path-id " + pathId() + " " + a();
    }
}
