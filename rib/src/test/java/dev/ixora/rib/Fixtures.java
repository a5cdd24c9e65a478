package dev.ixora.rib;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Small builders for RIB tests. */
final class Fixtures {
    private Fixtures() {}

    /** Peer n: address 198.18.0.n, AS 64500+n, router id n, eBGP, route-server client. */
    static PeerInfo peer(int n) {
        return peer(n, ImportPolicy.ACCEPT, ExportPolicy.ACCEPT);
    }

    static PeerInfo peer(int n, ImportPolicy in, ExportPolicy out) {
        try {
            return new PeerInfo(n, InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) n}),
                    64500 + n, n, true, true, in, out);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Attributes with AS_PATH = the peer's AS then {@code more} ASes, NEXT_HOP = the peer's address. */
    static RouteAttributes attrs(int peer, int pathLength, long med) {
        long[] asns = new long[pathLength];
        for (int i = 0; i < pathLength; i++) asns[i] = i == 0 ? 64500 + peer : 65000 + i;
        List<PathAttribute> l = new ArrayList<>();
        l.add(PathAttribute.Origin.IGP_ORIGIN);
        l.add(AsPath.sequence(asns));
        l.add(new PathAttribute.NextHop(0xC6120000 | peer));
        if (med >= 0) l.add(new PathAttribute.Med(med));
        return RouteAttributes.of(new Attributes(l), new byte[] {(byte) 198, 18, 0, (byte) peer});
    }

    static RibEvent.Announce announce(int peer, RouteAttributes a, String... prefixes) {
        return new RibEvent.Announce(peer, nlri(prefixes), a);
    }

    static RibEvent.Withdraw withdraw(int peer, String... prefixes) {
        return new RibEvent.Withdraw(peer, nlri(prefixes));
    }

    static List<Nlri> nlri(String... prefixes) {
        List<Nlri> out = new ArrayList<>();
        for (String p : prefixes) out.add(Nlri.parse(p));
        return out;
    }

    static Prefix p(String s) {
        return Prefix.parse(s);
    }
}
