package dev.ixora.rib;

import java.util.Arrays;

/** Peers by id, with their address bytes cached for the decision process. RIB thread only. */
final class Peers {
    private PeerInfo[] info = new PeerInfo[16];
    private byte[][] address = new byte[16][];
    private long[] restartEpoch = new long[16];
    private long[] routes = new long[16];

    PeerInfo get(int id) {
        PeerInfo p = id < info.length ? info[id] : null;
        if (p == null) throw new IllegalStateException("unknown peer id " + id + ": send PeerUp first");
        return p;
    }

    boolean known(int id) {
        return id < info.length && info[id] != null;
    }

    byte[] addressBytes(int id) {
        return address[id];
    }

    void put(PeerInfo p) {
        int id = p.id();
        if (id >= info.length) {
            int n = Math.max(id + 1, info.length * 2);
            info = Arrays.copyOf(info, n);
            address = Arrays.copyOf(address, n);
            restartEpoch = Arrays.copyOf(restartEpoch, n);
            routes = Arrays.copyOf(routes, n);
        }
        info[id] = p;
        address[id] = p.address().getAddress();
    }

    void count(int id, int delta) {
        routes[id] += delta;
    }

    long routes(int id) {
        return routes[id];
    }

    long nextRestartEpoch(int id) {
        return ++restartEpoch[id];
    }

    long restartEpoch(int id) {
        return restartEpoch[id];
    }
}
