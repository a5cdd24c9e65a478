package dev.ixora.lab.daemon;

import java.util.List;
import java.util.Map;

/**
 * What a lab node runs, independent of the daemon: its BGP identity, its interface addresses
 * (CIDR, e.g. "198.18.0.2/24", "2001:db8::2/64"), its BGP neighbors, the prefixes it originates and
 * free-form daemon options from the topology file.
 */
public record NodeSpec(
        String name,
        String kind,
        long asn,
        String routerId,
        List<String> addresses,
        List<Neighbor> neighbors,
        List<Announcement> announce,
        Map<String, String> options) {

    public NodeSpec {
        addresses = List.copyOf(addresses);
        neighbors = List.copyOf(neighbors);
        announce = List.copyOf(announce);
        options = Map.copyOf(options);
    }

    /**
     * A BGP neighbor of this node. {@code routeServer} is true when the neighbor is a route server
     * (RFC 7947): the client must not insist that the first AS in the path is the neighbor's AS.
     * {@code families}: "ipv4-unicast", "ipv6-unicast". {@code holdTime}: seconds, 0 = daemon default.
     */
    public record Neighbor(String name, String address, long asn, boolean routeServer, boolean passive,
                           List<String> families, int holdTime) {
        public Neighbor {
            families = List.copyOf(families);
        }
    }

    /**
     * A prefix the node originates, with optional attributes. {@code nextHop} may be null (the
     * daemon's own address on the session is used). {@code med} may be null.
     */
    public record Announcement(String prefix, String nextHop, Integer med, List<String> communities,
                               List<String> largeCommunities) {
        public Announcement {
            communities = List.copyOf(communities);
            largeCommunities = List.copyOf(largeCommunities);
        }

        public static Announcement of(String prefix) {
            return new Announcement(prefix, null, null, List.of(), List.of());
        }
    }
}
