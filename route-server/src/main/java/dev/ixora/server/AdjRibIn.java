package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.UpdateMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Per-peer Adj-RIB-In (RFC 4271 section 3.2): the routes each peer sent, before any policy, keyed
 * by NLRI (prefix + ADD-PATH path id). A stop-gap until the rib module takes over; it is written by
 * the session event threads (one writer per peer) and read by the API.
 */
final class AdjRibIn {
    /** One received route; {@code nextHop} is 4, 16 or 32 bytes (empty if the UPDATE had none). */
    record Route(String peer, AfiSafi family, Nlri nlri, byte[] nextHop, Attributes attributes, Instant received) {
        Route {
            nextHop = nextHop.clone();
        }

        @Override
        public byte[] nextHop() {
            return nextHop.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && r.peer.equals(peer) && r.family.equals(family) && r.nlri.equals(nlri)
                    && Arrays.equals(r.nextHop, nextHop) && r.attributes.equals(attributes);
        }

        @Override
        public int hashCode() {
            return nlri.hashCode() * 31 + attributes.hashCode();
        }
    }

    /** What one UPDATE did to a table. */
    record Change(int announced, int withdrawn) {}

    private final Map<String, ConcurrentSkipListMap<Nlri, Route>> tables = new ConcurrentHashMap<>();

    /**
     * Applies an UPDATE: withdrawals first, then announcements (RFC 4271 section 9: a prefix both
     * withdrawn and announced in one UPDATE ends up announced). Treat-as-withdraw (RFC 7606 section 2)
     * arrives here already turned into withdrawals by the codec.
     */
    Change apply(String peer, UpdateMessage update, Instant now) {
        ConcurrentSkipListMap<Nlri, Route> table = tables.computeIfAbsent(peer, p -> new ConcurrentSkipListMap<>());
        int withdrawn = 0;
        for (UpdateMessage.Withdrawn w : update.withdrawnAll()) {
            if (table.remove(w.nlri()) != null) withdrawn++;
        }
        List<UpdateMessage.Announced> announced = update.announced();
        if (!announced.isEmpty()) {
            Attributes attributes = update.pathAttributes();
            for (UpdateMessage.Announced a : announced) {
                table.put(a.nlri(), new Route(peer, a.afiSafi(), a.nlri(), a.nextHop(), attributes, now));
            }
        }
        return new Change(announced.size(), withdrawn);
    }

    /** Drops everything a peer sent (its session went down: RFC 4271 section 8.2.2, "deletes all routes"). */
    int clear(String peer) {
        ConcurrentSkipListMap<Nlri, Route> table = tables.remove(peer);
        return table == null ? 0 : table.size();
    }

    /** Routes per family for one peer, families in first-seen order; ipv4/ipv6 unicast always present. */
    Map<AfiSafi, Integer> counts(String peer) {
        Map<AfiSafi, Integer> counts = new LinkedHashMap<>();
        counts.put(AfiSafi.IPV4_UNICAST, 0);
        counts.put(AfiSafi.IPV6_UNICAST, 0);
        ConcurrentSkipListMap<Nlri, Route> table = tables.get(peer);
        if (table != null) for (Route r : table.values()) counts.merge(r.family(), 1, Integer::sum);
        return counts;
    }

    int count(String peer, AfiSafi family) {
        return counts(peer).getOrDefault(family, 0);
    }

    /** The routes of one peer, in prefix order. */
    List<Route> routes(String peer) {
        ConcurrentSkipListMap<Nlri, Route> table = tables.get(peer);
        return table == null ? List.of() : new ArrayList<>(table.values());
    }

    int size() {
        return tables.values().stream().mapToInt(Map::size).sum();
    }
}
