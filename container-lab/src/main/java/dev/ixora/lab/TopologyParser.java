package dev.ixora.lab;

import dev.ixora.conf.ConfigError;
import dev.ixora.conf.ConfigException;
import dev.ixora.lab.Topology.Attachment;
import dev.ixora.lab.Topology.Lan;
import dev.ixora.lab.Topology.LanType;
import dev.ixora.lab.Topology.Limits;
import dev.ixora.lab.daemon.NodeSpec;
import dev.ixora.lab.daemon.NodeSpec.Announcement;
import dev.ixora.lab.daemon.NodeSpec.Neighbor;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Topology file -> {@link Topology}: composes the YAML to a node tree (so every value keeps its
 * line and column), checks it, assigns default addresses and resolves neighbors to sessions. All
 * errors are collected and thrown together as a {@link ConfigException}.
 */
final class TopologyParser {
    private static final List<String> TOP_KEYS = List.of("lab", "lans", "nodes");
    private static final List<String> LAN_KEYS = List.of("name", "type", "ipv4", "ipv6");
    private static final List<String> NODE_KEYS = List.of("name", "kind", "asn", "router-id", "lans", "neighbors",
            "announce", "limits", "options", "route-server");
    private static final List<String> NEIGHBOR_KEYS = List.of("node", "name", "address", "asn", "route-server",
            "passive", "families", "hold-time");
    private static final List<String> ANNOUNCE_KEYS = List.of("prefix", "next-hop", "med", "communities",
            "large-communities");
    private static final List<String> FAMILIES = List.of("ipv4-unicast", "ipv6-unicast");

    private final String file;
    private final YamlNodes y;

    TopologyParser(String file) {
        this.file = file;
        this.y = new YamlNodes(file);
    }

    /** A node as read, before neighbors are resolved (they need every node's addresses). */
    private record Draft(String name, String kind, long asn, String routerId, List<Attachment> attachments,
                         Node neighbors, List<Announcement> announce, Limits limits, Map<String, String> options,
                         boolean routeServer, Node where) {
    }

    Topology parse(String yaml) throws ConfigException {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark();
            y.errors().add(new ConfigError(file, m.map(x -> x.getLine() + 1).orElse(1), m.map(x -> x.getColumn() + 1).orElse(1),
                    "YAML syntax: " + e.getProblem()));
            throw new ConfigException(y.errors());
        } catch (YamlEngineException e) {
            y.errors().add(new ConfigError(file, 1, 1, "YAML syntax: " + e.getMessage()));
            throw new ConfigException(y.errors());
        }
        if (root.isEmpty()) {
            y.errors().add(new ConfigError(file, 1, 1, "empty topology file: expected keys " + TOP_KEYS));
            throw new ConfigException(y.errors());
        }
        Map<String, Node> top = y.map(root.get(), TOP_KEYS);
        String lab = "lab";
        if (top.containsKey("lab")) {
            lab = y.scalar(top.get("lab"), "a lab name");
            if (lab != null && !lab.matches(Topology.NAME_LAB)) {
                y.error(top.get("lab"), "lab name must be 1-24 letters, digits or '_' (no '-': \"<lab>-\" prefixes every "
                        + "namespace and cgroup of the lab), got \"" + lab + "\"");
                lab = "lab";
            }
        } else {
            y.error(root.get(), "missing required key \"lab\"");
        }
        List<Lan> lans = top.containsKey("lans") ? lans(top.get("lans")) : List.of();
        List<Draft> drafts = new ArrayList<>();
        if (top.containsKey("nodes")) {
            Set<String> names = new HashSet<>();
            for (Node n : y.seq(top.get("nodes"), "a list of nodes")) {
                Draft d = node(n, lans);
                if (d == null) continue;
                if (!names.add(d.name())) y.error(n, "duplicate node name \"" + d.name() + "\"");
                else drafts.add(d);
            }
        } else {
            y.error(root.get(), "missing required key \"nodes\"");
        }
        drafts = assignAddresses(drafts, lans);
        List<Topology.Node> nodes = new ArrayList<>();
        for (Draft d : drafts) {
            List<String> addresses = new ArrayList<>();
            for (Attachment a : d.attachments()) {
                if (a.ipv4() != null) addresses.add(a.ipv4());
                if (a.ipv6() != null) addresses.add(a.ipv6());
            }
            String routerId = d.routerId();
            if (routerId == null) {
                routerId = d.attachments().stream().map(Attachment::ipv4).filter(x -> x != null)
                        .map(x -> x.substring(0, x.indexOf('/'))).findFirst().orElse(null);
            }
            if (routerId == null && !d.kind().equals("host")) {
                y.error(d.where(), "node \"" + d.name() + "\" needs a router-id (it has no IPv4 address to take it from)");
            }
            Map<String, String> options = new LinkedHashMap<>(d.options());
            if (d.routeServer()) options.put("route-server", "true");
            List<Neighbor> neighbors = d.neighbors() == null ? List.of() : neighbors(d, drafts);
            NodeSpec spec = new NodeSpec(d.name(), d.kind(), d.asn(), routerId == null ? "" : routerId, addresses,
                    neighbors, d.announce(), options);
            nodes.add(new Topology.Node(spec, d.attachments(), d.limits()));
        }
        if (!y.errors().isEmpty()) throw new ConfigException(y.errors());
        return new Topology(lab, lans, nodes);
    }

    // ---- LANs

    private List<Lan> lans(Node node) {
        List<Lan> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        int index = 0;
        for (Node n : y.seq(node, "a list of LANs")) {
            Map<String, Node> m = y.map(n, LAN_KEYS);
            String name = y.required(m, n, "name", "a LAN name");
            if (name == null) continue;
            if (!name.matches(Topology.NAME_NODE)) {
                y.error(m.get("name"), "LAN name must match " + Topology.NAME_NODE + ", got \"" + name + "\"");
                continue;
            }
            if (!names.add(name)) {
                y.error(m.get("name"), "duplicate LAN name \"" + name + "\"");
                continue;
            }
            LanType type = LanType.BRIDGE;
            if (m.containsKey("type")) {
                String t = y.scalar(m.get("type"), "bridge, p2p or ovs");
                if (t != null) {
                    switch (t) {
                        case "bridge" -> type = LanType.BRIDGE;
                        case "p2p" -> type = LanType.P2P;
                        case "ovs" -> type = LanType.OVS;
                        default -> y.error(m.get("type"), "expected bridge, p2p or ovs, got \"" + t + "\"");
                    }
                }
            }
            String v4;
            String v6;
            if (!m.containsKey("ipv4") && !m.containsKey("ipv6")) {
                // Defaults: 198.18.<index>.0/24 and 2001:db8:<index>::/64 (RFC 2544 / RFC 3849 ranges).
                v4 = new Cidr(new byte[] {(byte) 198, (byte) (18 + index / 256), (byte) (index % 256), 0}, 24).toString();
                v6 = "2001:db8:" + Integer.toHexString(index) + "::/64";
            } else {
                v4 = m.containsKey("ipv4") ? prefix(m.get("ipv4"), true) : null;
                v6 = m.containsKey("ipv6") ? prefix(m.get("ipv6"), false) : null;
            }
            for (String p : new String[] {v4, v6}) {
                if (p != null && !prefixes.add(p)) y.error(n, "LAN \"" + name + "\" reuses prefix " + p + " of another LAN");
            }
            out.add(new Lan(name, type, v4, v6));
            index++;
        }
        return out;
    }

    private String prefix(Node n, boolean v4) {
        String s = y.scalar(n, "an " + (v4 ? "IPv4" : "IPv6") + " prefix");
        if (s == null) return null;
        Cidr c = Cidr.parse(s);
        if (c == null || c.ipv4() != v4 || !s.contains("/")) {
            y.error(n, "expected an " + (v4 ? "IPv4" : "IPv6") + " prefix like " + (v4 ? "198.18.0.0/24" : "2001:db8::/64")
                    + ", got \"" + s + "\"");
            return null;
        }
        if (!c.hostBitsZero()) {
            y.error(n, "prefix " + s + " has host bits set; did you mean " + c.network() + "?");
            return null;
        }
        return c.toString();
    }

    // ---- nodes

    private Draft node(Node n, List<Lan> lans) {
        Map<String, Node> m = y.map(n, NODE_KEYS);
        String name = y.required(m, n, "name", "a node name");
        String kind = y.required(m, n, "kind", "a node kind");
        if (name != null && !name.matches(Topology.NAME_NODE)) {
            y.error(m.get("name"), "node name must match " + Topology.NAME_NODE + ", got \"" + name + "\"");
            name = null;
        } else if ("sw".equals(name)) {
            y.error(m.get("name"), "node name \"sw\" is reserved for the lab's switch namespace \"<lab>-sw\"");
            name = null;
        }
        if (kind != null && !Daemons.KINDS.contains(kind)) {
            y.error(m.get("kind"), "unknown node kind \"" + kind + "\", expected one of " + Daemons.KINDS);
            kind = null;
        }
        long asn = 0;
        if (m.containsKey("asn")) asn = y.asn(m.get("asn"));
        else if (kind != null && !kind.equals("host")) y.error(n, "node \"" + name + "\" of kind " + kind + " needs an asn");
        String routerId = null;
        if (m.containsKey("router-id")) {
            routerId = y.scalar(m.get("router-id"), "a dotted-quad router id");
            if (routerId != null && (Cidr.literal(routerId) == null || !routerId.contains("."))) {
                y.error(m.get("router-id"), "expected a dotted-quad router id like 198.18.0.1, got \"" + routerId + "\"");
            }
        }
        List<Attachment> attachments = m.containsKey("lans") ? attachments(m.get("lans"), lans) : List.of();
        List<Announcement> announce = new ArrayList<>();
        if (m.containsKey("announce")) {
            for (Node a : y.seq(m.get("announce"), "a list of prefixes")) {
                Announcement ann = announcement(a);
                if (ann != null) announce.add(ann);
            }
        }
        Limits limits = m.containsKey("limits") ? limits(m.get("limits")) : Limits.NONE;
        Map<String, String> options = new LinkedHashMap<>();
        if (m.containsKey("options")) {
            Node o = m.get("options");
            if (o instanceof MappingNode mn) {
                for (NodeTuple t : mn.getValue()) {
                    String k = y.scalar(t.getKeyNode(), "an option name");
                    String v = y.scalar(t.getValueNode(), "a scalar option value");
                    if (k != null && v != null) options.put(k, v);
                }
            } else {
                y.error(o, "expected a map of options");
            }
        }
        boolean rs = m.containsKey("route-server") && y.bool(m.get("route-server"));
        if (name == null || kind == null) return null;
        return new Draft(name, kind, asn, routerId, attachments, m.get("neighbors"), announce, limits, options, rs, n);
    }

    /** "lans: [a, b]" or "lans: {a: {ipv4: x, ipv6: y}, b: {}}". Addresses not given are null here. */
    private List<Attachment> attachments(Node n, List<Lan> lans) {
        List<Attachment> out = new ArrayList<>();
        List<Map.Entry<Node, Node>> entries = new ArrayList<>();
        if (n instanceof SequenceNode s) {
            for (Node x : s.getValue()) entries.add(Map.entry(x, x));
        } else if (n instanceof MappingNode mn) {
            for (NodeTuple t : mn.getValue()) entries.add(Map.entry(t.getKeyNode(), t.getValueNode()));
        } else {
            y.error(n, "expected a list of LAN names or a map of LAN name to addresses");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Node, Node> e : entries) {
            String lanName = y.scalar(e.getKey(), "a LAN name");
            if (lanName == null) continue;
            Optional<Lan> lan = lans.stream().filter(l -> l.name().equals(lanName)).findFirst();
            if (lan.isEmpty()) {
                y.error(e.getKey(), "unknown LAN \"" + lanName + "\", expected one of "
                        + lans.stream().map(Lan::name).toList());
                continue;
            }
            if (!seen.add(lanName)) {
                y.error(e.getKey(), "node is attached twice to LAN \"" + lanName + "\"");
                continue;
            }
            String v4 = null;
            String v6 = null;
            Node v = e.getValue();
            if (v != e.getKey() && !(v instanceof ScalarNode sc && sc.getValue().isEmpty())) {
                Map<String, Node> am = y.map(v, List.of("ipv4", "ipv6"));
                if (am.containsKey("ipv4")) v4 = address(am.get("ipv4"), lan.get().ipv4(), true);
                if (am.containsKey("ipv6")) v6 = address(am.get("ipv6"), lan.get().ipv6(), false);
            }
            out.add(new Attachment(lanName, v4, v6));
        }
        return out;
    }

    /** An interface address on a LAN, returned in CIDR form with the LAN's prefix length. */
    private String address(Node n, String lanPrefix, boolean v4) {
        String fam = v4 ? "IPv4" : "IPv6";
        String s = y.scalar(n, "an " + fam + " address");
        if (s == null) return null;
        Cidr c = Cidr.parse(s);
        if (c == null || c.ipv4() != v4) {
            y.error(n, "expected an " + fam + " address, got \"" + s + "\"");
            return null;
        }
        if (lanPrefix == null) {
            y.error(n, "this LAN has no " + fam + " prefix");
            return null;
        }
        Cidr lan = Cidr.parse(lanPrefix);
        if (!lan.contains(c)) {
            y.error(n, "address " + c.address() + " is outside the LAN's prefix " + lanPrefix);
            return null;
        }
        Cidr withLen = new Cidr(c.bytes(), lan.length());
        if (withLen.equals(lan.network())) {
            y.error(n, "address " + c.address() + " is the LAN's network address");
            return null;
        }
        return withLen.toString();
    }

    /** Fills in addresses not given: host number = the node's position in the file + 1, skipping taken ones. */
    private List<Draft> assignAddresses(List<Draft> drafts, List<Lan> lans) {
        Map<String, Set<String>> taken = new LinkedHashMap<>();
        for (Draft d : drafts) {
            for (Attachment a : d.attachments()) {
                Set<String> t = taken.computeIfAbsent(a.lan(), k -> new HashSet<>());
                for (String addr : new String[] {a.ipv4(), a.ipv6()}) {
                    if (addr != null && !t.add(addr)) y.error(d.where(), "address " + addr + " is used twice on LAN " + a.lan());
                }
            }
        }
        List<Draft> out = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            List<Attachment> resolved = new ArrayList<>();
            for (Attachment a : d.attachments()) {
                Lan lan = lans.stream().filter(l -> l.name().equals(a.lan())).findFirst().orElseThrow();
                Set<String> t = taken.computeIfAbsent(a.lan(), k -> new HashSet<>());
                String v4 = a.ipv4() != null ? a.ipv4() : allocate(lan.ipv4(), i + 1, t, d);
                String v6 = a.ipv6() != null ? a.ipv6() : allocate(lan.ipv6(), i + 1, t, d);
                resolved.add(new Attachment(a.lan(), v4, v6));
            }
            out.add(new Draft(d.name(), d.kind(), d.asn(), d.routerId(), resolved, d.neighbors(), d.announce(), d.limits(),
                    d.options(), d.routeServer(), d.where()));
        }
        for (Lan lan : lans) {
            long members = out.stream().filter(d -> d.attachments().stream().anyMatch(a -> a.lan().equals(lan.name()))).count();
            if (lan.type() == LanType.P2P && members != 2) {
                y.errors().add(new ConfigError(file, 1, 1, "p2p LAN \"" + lan.name() + "\" must have exactly 2 nodes, has " + members));
            }
        }
        return out;
    }

    /** The first free host address from number start on, wrapping to 1 in small prefixes (a /30 has hosts 1 and 2). */
    private String allocate(String prefix, long start, Set<String> taken, Draft d) {
        if (prefix == null) return null;
        Cidr lan = Cidr.parse(prefix);
        boolean wrapped = false;
        for (long n = start; ; n++) {
            Cidr c;
            try {
                c = lan.host(n);
            } catch (IllegalArgumentException e) {
                if (wrapped || start == 1) {
                    y.error(d.where(), "no free address left in " + prefix + " for node " + d.name());
                    return null;
                }
                wrapped = true;
                n = 0;
                continue;
            }
            if (wrapped && n >= start) {
                y.error(d.where(), "no free address left in " + prefix + " for node " + d.name());
                return null;
            }
            if (taken.add(c.toString())) return c.toString();
        }
    }

    // ---- neighbors

    private List<Neighbor> neighbors(Draft d, List<Draft> all) {
        List<Neighbor> out = new ArrayList<>();
        for (Node n : y.seq(d.neighbors(), "a list of neighbors")) {
            if (n instanceof ScalarNode) {
                String peer = y.scalar(n, "a node name");
                if (peer != null) out.addAll(sessionsTo(d, peer, null, false, FAMILIES, 0, n, all));
                continue;
            }
            Map<String, Node> m = y.map(n, NEIGHBOR_KEYS);
            Boolean rs = m.containsKey("route-server") ? y.bool(m.get("route-server")) : null;
            boolean passive = m.containsKey("passive") && y.bool(m.get("passive"));
            int hold = m.containsKey("hold-time") ? (int) y.number(m.get("hold-time"), 0, 65535) : 0;
            if (hold == 1 || hold == 2) y.error(m.get("hold-time"), "hold-time must be 0 or 3..65535 (RFC 4271 §4.2)");
            List<String> families = FAMILIES;
            if (m.containsKey("families")) {
                families = new ArrayList<>();
                for (Node f : y.seq(m.get("families"), "a list of families")) {
                    String s = y.scalar(f, "a family");
                    if (s != null && !FAMILIES.contains(s)) y.error(f, "unknown family \"" + s + "\", expected one of " + FAMILIES);
                    else if (s != null) families.add(s);
                }
            }
            if (m.containsKey("node")) {
                String peer = y.scalar(m.get("node"), "a node name");
                if (peer != null) out.addAll(sessionsTo(d, peer, rs, passive, families, hold, m.get("node"), all));
            } else if (m.containsKey("address")) {
                // A neighbor outside the topology (or one given by address): one session, as written.
                String addr = y.scalar(m.get("address"), "an address");
                Cidr c = addr == null ? null : Cidr.parse(addr);
                if (c == null || addr.contains("/")) {
                    y.error(m.get("address"), "expected an IPv4 or IPv6 address, got \"" + addr + "\"");
                    continue;
                }
                if (!m.containsKey("asn")) {
                    y.error(n, "a neighbor given by address needs an asn");
                    continue;
                }
                String name = m.containsKey("name") ? y.scalar(m.get("name"), "a name") : c.address();
                out.add(new Neighbor(name, c.address(), y.asn(m.get("asn")), rs != null && rs, passive, families, hold));
            } else {
                y.error(n, "a neighbor needs \"node\" (a node of this topology) or \"address\" and \"asn\"");
            }
        }
        Set<String> names = new HashSet<>();
        for (Neighbor nb : out) {
            if (!names.add(nb.name())) y.error(d.neighbors(), "node \"" + d.name() + "\" lists neighbor \"" + nb.name() + "\" twice");
        }
        return out;
    }

    /**
     * Sessions to another node: one over IPv4 and one over IPv6 on the first LAN both share that
     * carries the family, named "peer-v4" / "peer-v6", each carrying its own family.
     */
    private List<Neighbor> sessionsTo(Draft d, String peerName, Boolean rs, boolean passive, List<String> families,
                                      int hold, Node where, List<Draft> all) {
        Optional<Draft> peer = all.stream().filter(x -> x.name().equals(peerName)).findFirst();
        if (peer.isEmpty()) {
            y.error(where, "unknown node \"" + peerName + "\", expected one of " + all.stream().map(Draft::name).toList());
            return List.of();
        }
        if (peerName.equals(d.name())) {
            y.error(where, "node \"" + d.name() + "\" lists itself as a neighbor");
            return List.of();
        }
        Draft p = peer.get();
        if (p.kind().equals("host")) {
            y.error(where, "node \"" + peerName + "\" is a host: it runs no BGP daemon to be a neighbor");
            return List.of();
        }
        boolean peerRs = rs != null ? rs : p.routeServer();
        List<Neighbor> out = new ArrayList<>();
        String v4 = null;
        String v6 = null;
        for (Attachment mine : d.attachments()) {
            for (Attachment theirs : p.attachments()) {
                if (!mine.lan().equals(theirs.lan())) continue;
                if (v4 == null && mine.ipv4() != null && theirs.ipv4() != null) v4 = bare(theirs.ipv4());
                if (v6 == null && mine.ipv6() != null && theirs.ipv6() != null) v6 = bare(theirs.ipv6());
            }
        }
        if (v4 != null && families.contains("ipv4-unicast")) {
            out.add(new Neighbor(peerName + "-v4", v4, p.asn(), peerRs, passive, List.of("ipv4-unicast"), hold));
        }
        if (v6 != null && families.contains("ipv6-unicast")) {
            out.add(new Neighbor(peerName + "-v6", v6, p.asn(), peerRs, passive, List.of("ipv6-unicast"), hold));
        }
        if (out.isEmpty()) {
            y.error(where, "node \"" + d.name() + "\" shares no LAN with \"" + peerName + "\" that carries " + families);
        }
        return out;
    }

    private static String bare(String cidr) {
        return cidr.substring(0, cidr.indexOf('/'));
    }

    // ---- announcements and limits

    private Announcement announcement(Node n) {
        if (n instanceof ScalarNode) {
            String p = announcedPrefix(n);
            return p == null ? null : Announcement.of(p);
        }
        Map<String, Node> m = y.map(n, ANNOUNCE_KEYS);
        if (!m.containsKey("prefix")) {
            y.error(n, "missing required key \"prefix\"");
            return null;
        }
        String prefix = announcedPrefix(m.get("prefix"));
        String nextHop = null;
        if (m.containsKey("next-hop")) {
            nextHop = y.scalar(m.get("next-hop"), "an address");
            Cidr c = nextHop == null ? null : Cidr.parse(nextHop);
            if (c == null || nextHop.contains("/")) y.error(m.get("next-hop"), "expected an IPv4 or IPv6 address, got \"" + nextHop + "\"");
            else nextHop = c.address();
        }
        Integer med = m.containsKey("med") ? (int) y.number(m.get("med"), 0, 4294967295L) : null;
        List<String> comms = communities(m.get("communities"), false);
        List<String> large = communities(m.get("large-communities"), true);
        return prefix == null ? null : new Announcement(prefix, nextHop, med, comms, large);
    }

    private String announcedPrefix(Node n) {
        String s = y.scalar(n, "a prefix");
        if (s == null) return null;
        Cidr c = Cidr.parse(s);
        if (c == null || !s.contains("/")) {
            y.error(n, "expected a prefix like 203.0.113.0/24 or 2001:db8:100::/48, got \"" + s + "\"");
            return null;
        }
        if (!c.hostBitsZero()) {
            y.error(n, "prefix " + s + " has host bits set; did you mean " + c.network() + "?");
            return null;
        }
        return c.toString();
    }

    private List<String> communities(Node n, boolean large) {
        List<String> out = new ArrayList<>();
        if (n == null) return out;
        String re = large ? "\\d{1,10}:\\d{1,10}:\\d{1,10}" : "\\d{1,5}:\\d{1,5}|no-export|no-advertise|blackhole|graceful-shutdown";
        for (Node c : y.seq(n, "a list of communities")) {
            String s = y.scalar(c, "a community");
            if (s == null) continue;
            if (!s.matches(re)) {
                y.error(c, "expected a " + (large ? "large community \"a:b:c\"" : "community \"a:b\" or a well-known name")
                        + ", got \"" + s + "\"");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private Limits limits(Node n) {
        Map<String, Node> m = y.map(n, List.of("cpu", "memory"));
        Double cpu = null;
        Long mem = null;
        if (m.containsKey("cpu")) {
            String s = y.scalar(m.get("cpu"), "a number of cores");
            try {
                cpu = s == null ? null : Double.parseDouble(s);
                if (cpu != null && !(cpu >= 0.01 && cpu <= 1024)) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                y.error(m.get("cpu"), "expected a number of cores between 0.01 and 1024 (e.g. 0.5), got \"" + s + "\"");
                cpu = null;
            }
        }
        if (m.containsKey("memory")) {
            String s = y.scalar(m.get("memory"), "a memory size");
            mem = s == null ? null : bytes(s);
            if (s != null && mem == null) y.error(m.get("memory"), "expected a memory size like 256M, 1G or 1048576, got \"" + s + "\"");
        }
        return new Limits(cpu, mem);
    }

    static Long bytes(String s) {
        var matcher = java.util.regex.Pattern.compile("(\\d+)([KkMmGg]?)").matcher(s.strip());
        if (!matcher.matches()) return null;
        long v = Long.parseLong(matcher.group(1));
        long mult = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1L;
        };
        long b = v * mult;
        return b >= 4096 ? b : null;
    }
}
