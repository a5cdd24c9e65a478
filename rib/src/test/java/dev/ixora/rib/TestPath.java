package dev.ixora.rib;

/** A plain PathView for decision tests; {@code name} only makes failures readable. */
record TestPath(String name, long localPref, int asPathLength, int origin, long med, long neighborAs,
                boolean ebgp, long igpCost, long arrival, long originatorId, long peerRouterId,
                int clusterListLength, byte[] peerAddress, long pathId) implements PathView {

    static TestPath base(String name) {
        return new TestPath(name, 100, 2, 0, 10, 64500, true, 0, 1, -1, 0x0A000001L, 0,
                new byte[] {(byte) 198, 18, 0, 1}, -1);
    }

    TestPath localPref(long v) { return new TestPath(name, v, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath asPathLength(int v) { return new TestPath(name, localPref, v, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath origin(int v) { return new TestPath(name, localPref, asPathLength, v, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath med(long v) { return new TestPath(name, localPref, asPathLength, origin, v, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath neighborAs(long v) { return new TestPath(name, localPref, asPathLength, origin, med, v, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath ebgp(boolean v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, v, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath igpCost(long v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, v, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath arrival(long v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, v, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath originatorId(long v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, v, peerRouterId, clusterListLength, peerAddress, pathId); }
    TestPath peerRouterId(long v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, v, clusterListLength, peerAddress, pathId); }
    TestPath clusterListLength(int v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, v, peerAddress, pathId); }
    TestPath peerAddress(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, b, pathId);
    }
    TestPath pathId(long v) { return new TestPath(name, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, v); }

    TestPath named(String n) { return new TestPath(n, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, arrival, originatorId, peerRouterId, clusterListLength, peerAddress, pathId); }

    @Override public String toString() { return name; }
}
