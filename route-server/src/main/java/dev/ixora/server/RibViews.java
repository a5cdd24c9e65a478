package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.IpText;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.rib.BestPathReason;
import dev.ixora.rib.Rib;
import dev.ixora.rib.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The API's JSON views of the rib, built on the RIB thread (inside {@link Routing#read}) so each
 * answer is one consistent snapshot. Field names are documented in docs/operations.md.
 */
final class RibViews {
    private static final List<AfiSafi> FAMILIES = List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);
    private static final Comparator<Route> ORDER = Comparator.comparing((Route r) -> r.prefix().v6())
            .thenComparing(Route::prefix).thenComparingLong(Route::pathId);

    private RibViews() {}

    /** Routes held from configured peers (pre-policy, filtered and stale included). */
    static long received(Rib rib, Routing routing) {
        long n = rib.routeCount();
        for (AfiSafi f : FAMILIES) n -= rib.adjRibIn(routing.localId(), f).size();
        return n;
    }

    /** Per-peer counters: what it sent us (pre-policy), and what its export did. */
    static Map<String, Object> peer(Rib rib, Routing routing, int id) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> received = new LinkedHashMap<>();
        Map<String, Object> accepted = new LinkedHashMap<>();
        long filtered = 0;
        long stale = 0;
        for (AfiSafi f : FAMILIES) {
            List<Route> in = rib.peer(id) == null ? List.of() : rib.adjRibIn(id, f);
            received.put(f.toString(), in.size());
            accepted.put(f.toString(), in.stream().filter(Route::eligible).count());
            filtered += in.stream().filter(r -> r.filteredReason() != null).count();
            stale += in.stream().filter(Route::stale).count();
        }
        m.put("prefixes_received", received);
        m.put("prefixes_accepted", accepted);
        m.put("prefixes_filtered", filtered);
        m.put("prefixes_stale", stale);
        ClientExport c = routing.client(id);
        Map<String, Object> export = null;
        if (c != null) {
            export = new LinkedHashMap<>();
            export.put("route_server", c.style.routeServer());
            export.put("update_group", rib.routeServer().groupOf(id));
            export.put("updates_sent", c.updatesSent);
            export.put("prefixes_announced", c.prefixesAnnounced);
            export.put("prefixes_withdrawn", c.prefixesWithdrawn);
            export.put("pending", rib.routeServer().changedSince(id));
            export.put("end_of_rib_sent", c.endOfRibSent());
        }
        m.put("export", export);
        return m;
    }

    /** What the given peers sent, per peer in family/prefix/path-id order, with the rib's verdict. */
    static List<Object> received(Rib rib, Routing routing, List<Integer> ids) {
        List<Object> out = new ArrayList<>();
        for (int id : ids) {
            if (rib.peer(id) == null) continue;
            List<Route> routes = new ArrayList<>();
            for (AfiSafi f : FAMILIES) routes.addAll(rib.adjRibIn(id, f));
            routes.sort(ORDER);
            for (Route r : routes) {
                Route best = rib.best(r.prefix());
                boolean isBest = best != null && best.peer().id() == r.peer().id() && best.pathId() == r.pathId();
                Map<String, Object> m = route(r, routing);
                m.put("best", isBest);
                BestPathReason why = isBest ? rib.bestReason(r.prefix()) : null;
                m.put("best_reason", why == null ? null : why.toString());
                out.add(m);
            }
        }
        return out;
    }

    /**
     * What the client holds, or is about to get, from us: per prefix the route its export chose
     * (RFC 7947 per-client view), in the attributes it leaves with.
     */
    static List<Object> exported(Rib rib, Routing routing, int client) {
        TreeSet<Prefix> prefixes = new TreeSet<>(Comparator.comparing(Prefix::v6).thenComparing(p -> p));
        for (int id : routing.allIds()) {
            if (rib.peer(id) == null) continue;
            for (AfiSafi f : FAMILIES) for (Route r : rib.adjRibIn(id, f)) prefixes.add(r.prefix());
        }
        ClientExport c = routing.client(client);
        List<Object> out = new ArrayList<>();
        for (Prefix p : prefixes) {
            Route r = rib.routeServer().chosen(client, p);
            if (r == null) continue;
            Map<String, Object> m = route(r, routing);
            m.put("to", c == null ? null : c.config.name());
            if (c != null) {
                ExportAttributes.Out sent = ExportAttributes.of(r, r.peer().id() == routing.localId(), c.style);
                if (sent != null) {
                    m.put("sent_next_hop", nextHop(sent.nextHop()));
                    m.put("sent_as_path", sent.attributes().get(AsPath.class).map(AsPath::toString).orElse(""));
                }
            }
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> route(Route r, Routing routing) {
        Map<String, Object> m = new LinkedHashMap<>();
        Attributes a = r.attributes().source();
        m.put("peer", routing.name(r.peer().id()));
        m.put("family", r.prefix().afiSafi().toString());
        m.put("prefix", r.prefix().toString());
        m.put("path_id", r.pathId() < 0 ? null : r.pathId());
        m.put("next_hop", nextHop(r.attributes().nextHop()));
        m.put("as_path", a.get(AsPath.class).map(AsPath::toString).orElse(""));
        m.put("origin", a.get(PathAttribute.Origin.class).map(Object::toString).orElse(null));
        m.put("med", a.get(PathAttribute.Med.class).map(PathAttribute.Med::value).orElse(null));
        m.put("local_pref", a.get(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(null));
        List<String> communities = new ArrayList<>();
        a.get(PathAttribute.Communities.class).ifPresent(c -> {
            for (int v : c.values()) communities.add((v >>> 16) + ":" + (v & 0xFFFF));
        });
        m.put("communities", communities);
        List<String> large = new ArrayList<>();
        a.get(PathAttribute.LargeCommunities.class).ifPresent(c -> {
            int[] v = c.values();
            for (int i = 0; i < v.length; i += 3) {
                large.add(Integer.toUnsignedString(v[i]) + ":" + Integer.toUnsignedString(v[i + 1]) + ":"
                        + Integer.toUnsignedString(v[i + 2]));
            }
        });
        m.put("large_communities", large);
        List<Object> unknown = new ArrayList<>();
        for (PathAttribute x : a.list()) {
            if (x instanceof PathAttribute.UnknownAttribute u) {
                Map<String, Object> um = new LinkedHashMap<>();
                um.put("type", u.type());
                um.put("flags", u.flags());
                um.put("value", HexFormat.of().formatHex(u.value()));
                unknown.add(um);
            }
        }
        m.put("unknown_attributes", unknown);
        m.put("received", null); // the rib keeps no per-route arrival time (bytes per route)
        m.put("filtered_reason", r.filteredReason());
        m.put("stale", r.stale());
        m.put("unresolved", r.unresolved());
        return m;
    }

    private static String nextHop(byte[] nh) {
        if (nh.length == 0) return null;
        return nh.length == 32 ? IpText.format(Arrays.copyOf(nh, 16)) + "," + IpText.format(Arrays.copyOfRange(nh, 16, 32))
                : IpText.format(nh);
    }
}
