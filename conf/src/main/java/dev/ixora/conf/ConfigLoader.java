package dev.ixora.conf;

import dev.ixora.codec.AfiSafi;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * YAML file -> validated {@link ConfigImage}. The YAML is composed to a node tree (not bound to
 * objects) so every value keeps its line and column; all errors are collected before failing.
 * The schema is documented in docs/configuration.md.
 */
public final class ConfigLoader {
    static final List<String> TOP_KEYS = List.of("router", "route-server", "defaults", "peers", "announce", "api");
    static final List<String> ROUTER_KEYS = List.of("asn", "router-id", "listen", "hold-time");
    static final List<String> DEFAULTS_KEYS = List.of("import", "export");
    static final List<String> PEER_KEYS = List.of("name", "address", "asn", "port", "passive", "families",
            "local-address", "hold-time", "connect-retry", "description", "next-hop-self", "add-path", "shutdown",
            "route-server", "import", "export");
    static final List<String> ADD_PATH_KEYS = List.of("receive", "send");
    static final List<String> ANNOUNCE_KEYS = List.of("prefix", "next-hop", "med", "as-path-prepend",
            "communities", "large-communities");
    static final List<String> API_KEYS = List.of("listen");
    static final List<String> FAMILY_NAMES = List.of("ipv4-unicast", "ipv6-unicast");

    private static final Section.Kind<Long> ASN = new Section.Kind<>("an AS number", Values::asn);
    private static final Section.Kind<Inet4Address> ROUTER_ID = new Section.Kind<>("a router id", Values::routerId);
    private static final Section.Kind<InetAddress> ADDRESS = new Section.Kind<>("an IPv4 or IPv6 address", Addresses::parse);
    private static final Section.Kind<InetSocketAddress> SOCKET = new Section.Kind<>("\"address:port\"", Addresses::parseSocket);
    private static final Section.Kind<Boolean> BOOL = new Section.Kind<>("true or false", Values::bool);
    private static final Section.Kind<Integer> HOLD_TIME = new Section.Kind<>("a hold time", Values::holdTime);
    private static final Section.Kind<Integer> PORT = new Section.Kind<>("a port", t -> (int) Values.uint(t, 1, 65535));
    private static final Section.Kind<Integer> RETRY = new Section.Kind<>("seconds", t -> (int) Values.uint(t, 1, 65535));
    private static final Section.Kind<String> STRING = new Section.Kind<>("a string", t -> t);
    private static final Section.Kind<String> NAME = new Section.Kind<>("a name", Values::name);
    private static final Section.Kind<PolicyAction> ACTION = new Section.Kind<>("accept or reject", Values::action);
    private static final Section.Kind<IpPrefix> PREFIX = new Section.Kind<>("a prefix", IpPrefix::parse);
    private static final Section.Kind<Long> MED = new Section.Kind<>("a MED", t -> Values.uint(t, 0, 0xFFFF_FFFFL));
    private static final Section.Kind<Integer> PREPEND =
            new Section.Kind<>("a prepend count", t -> (int) Values.uint(t, 0, AnnounceConfig.MAX_PREPEND));
    private static final Section.Kind<Community> COMMUNITY = new Section.Kind<>("a community", Community::parse);
    private static final Section.Kind<LargeCommunity> LARGE =
            new Section.Kind<>("a large community", LargeCommunity::parse);
    private static final Section.Kind<AfiSafi> FAMILY = new Section.Kind<>("a family name", ConfigLoader::family);

    private ConfigLoader() {}

    /** Reads and validates a file; errors name the file as given. */
    public static ConfigImage load(Path file) throws ConfigException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 1, 1, "cannot read file: " + e)));
        }
        return parse(file.toString(), content);
    }

    /** Validates file content, which must be UTF-8; {@code fileName} is used in error messages only. */
    public static ConfigImage parse(String fileName, byte[] content) throws ConfigException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            int offset = 0;
            while (offset < content.length && content[offset] >= 0) offset++; // first non-ASCII byte, near enough
            int line = 1, column = 1;
            for (int i = 0; i < offset; i++) {
                if (content[i] == '\n') { line++; column = 1; } else column++;
            }
            throw new ConfigException(List.of(new ConfigError(fileName, line, column,
                    "the file is not valid UTF-8 text")));
        }
        return parse(fileName, text);
    }

    /** Validates YAML text; {@code fileName} is used in error messages only. */
    public static ConfigImage parse(String fileName, String text) throws ConfigException {
        Section.Errors errors = new Section.Errors(fileName);
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(fileName).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            errors.at(e.getProblemMark().orElse(e.getContextMark().orElse(null)), "YAML syntax error: " + problem);
            throw new ConfigException(errors.list);
        } catch (YamlEngineException e) {
            errors.at((org.snakeyaml.engine.v2.exceptions.Mark) null, "YAML error: " + e.getMessage());
            throw new ConfigException(errors.list);
        }
        if (root.isEmpty()) {
            errors.at((org.snakeyaml.engine.v2.exceptions.Mark) null, "the file is empty; expected a mapping with at least \"router\"");
            throw new ConfigException(errors.list);
        }
        ConfigImage image = build(errors, root.get());
        if (errors.count() > 0) {
            List<ConfigError> sorted = new ArrayList<>(errors.list);
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(sorted);
        }
        return image;
    }

    private static ConfigImage build(Section.Errors errors, Node root) {
        Section top = Section.of(errors, root, "the top level", TOP_KEYS);
        if (top == null) return null;
        RouterConfig router = null;
        if (top.has("router")) router = router(errors, top.get("router"));
        else top.missing("router");
        boolean routeServer = top.optional("route-server", BOOL, false);
        PolicyAction defaultImport = PolicyAction.ACCEPT;
        PolicyAction defaultExport = PolicyAction.ACCEPT;
        if (top.has("defaults")) {
            Section d = Section.of(errors, top.get("defaults"), "defaults", DEFAULTS_KEYS);
            if (d != null) {
                defaultImport = d.optional("import", ACTION, PolicyAction.ACCEPT);
                defaultExport = d.optional("export", ACTION, PolicyAction.ACCEPT);
            }
        }
        int holdTime = router == null ? RouterConfig.DEFAULT_HOLD_TIME : router.holdTime();
        PeerDefaults peerDefaults = new PeerDefaults(holdTime, routeServer, defaultImport, defaultExport);
        List<PeerConfig> peers = peers(errors, top, peerDefaults);
        List<AnnounceConfig> announce = announce(errors, top);
        Optional<ApiConfig> api = Optional.empty();
        if (top.has("api")) {
            Section a = Section.of(errors, top.get("api"), "api", API_KEYS);
            InetSocketAddress listen = a == null ? null : a.required("listen", SOCKET);
            if (listen != null) api = Optional.of(new ApiConfig(listen));
        }
        if (errors.count() > 0) return null;
        return new ConfigImage(router, routeServer, defaultImport, defaultExport, peers, announce, api);
    }

    private static RouterConfig router(Section.Errors errors, Node node) {
        Section r = Section.of(errors, node, "router", ROUTER_KEYS);
        if (r == null) return null;
        Long asn = r.required("asn", ASN);
        Inet4Address routerId = r.required("router-id", ROUTER_ID);
        int holdTime = r.optional("hold-time", HOLD_TIME, RouterConfig.DEFAULT_HOLD_TIME);
        List<InetSocketAddress> listen = new ArrayList<>();
        List<Node> items = r.list("listen");
        if (items == null) {
            listen.add(new InetSocketAddress(Addresses.parse("0.0.0.0"), PeerConfig.DEFAULT_PORT));
            listen.add(new InetSocketAddress(Addresses.parse("::"), PeerConfig.DEFAULT_PORT));
        } else {
            Map<InetSocketAddress, Node> seen = new HashMap<>();
            for (Node item : items) {
                InetSocketAddress a = Section.scalar(errors, item, SOCKET);
                if (a == null) continue;
                if (seen.putIfAbsent(a, item) != null) {
                    errors.at(item, "duplicate listen address \"" + Addresses.format(a) + "\"");
                    continue;
                }
                listen.add(a);
            }
        }
        if (asn == null || routerId == null) return null;
        return new RouterConfig(asn, routerId, listen, holdTime);
    }

    private record PeerDefaults(int holdTime, boolean routeServer, PolicyAction importAction, PolicyAction exportAction) {}

    private static List<PeerConfig> peers(Section.Errors errors, Section top, PeerDefaults defaults) {
        List<Node> items = top.list("peers");
        List<PeerConfig> peers = new ArrayList<>();
        if (items == null) return peers;
        Map<String, Node> names = new HashMap<>();
        Map<InetAddress, Node> addresses = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section p = Section.of(errors, items.get(i), "peers[" + i + "]", PEER_KEYS);
            if (p == null) continue;
            PeerConfig peer = peer(errors, p, defaults);
            // Duplicates are checked on the raw values, so a peer with other errors still counts.
            String name = quiet(p.get("name"), Values::name);
            InetAddress address = quiet(p.get("address"), Addresses::parse);
            Node first = name == null ? null : names.putIfAbsent(name, p.get("name"));
            if (first != null) {
                errors.at(p.get("name"), "duplicate peer name \"" + name + "\" (first at line " + line(first) + ")");
                continue;
            }
            first = address == null ? null : addresses.putIfAbsent(address, p.get("address"));
            if (first != null) {
                errors.at(p.get("address"), "duplicate peer address " + Addresses.format(address)
                        + " (first at line " + line(first) + ")");
                continue;
            }
            if (peer != null) peers.add(peer);
        }
        return peers;
    }

    private static PeerConfig peer(Section.Errors errors, Section p, PeerDefaults d) {
        int before = errors.count();
        String name = p.required("name", NAME);
        InetAddress address = p.required("address", ADDRESS);
        Long asn = p.required("asn", ASN);
        int port = p.optional("port", PORT, PeerConfig.DEFAULT_PORT);
        boolean passive = p.optional("passive", BOOL, false);
        InetAddress local = p.optional("local-address", ADDRESS, null);
        if (local != null && address != null && local.getClass() != address.getClass()) {
            errors.at(p.get("local-address"), "local-address " + Addresses.format(local) + " is not of the same family as address "
                    + Addresses.format(address));
            local = null;
        }
        int holdTime = p.optional("hold-time", HOLD_TIME, d.holdTime());
        int connectRetry = p.optional("connect-retry", RETRY, PeerConfig.DEFAULT_CONNECT_RETRY);
        String description = p.optional("description", STRING, "");
        boolean nextHopSelf = p.optional("next-hop-self", BOOL, false);
        boolean shutdown = p.optional("shutdown", BOOL, false);
        boolean rsClient = p.optional("route-server", BOOL, d.routeServer());
        PolicyAction importAction = p.optional("import", ACTION, d.importAction());
        PolicyAction exportAction = p.optional("export", ACTION, d.exportAction());
        AddPathConfig addPath = AddPathConfig.NONE;
        if (p.has("add-path")) {
            Section ap = Section.of(errors, p.get("add-path"), "add-path", ADD_PATH_KEYS);
            if (ap != null) addPath = new AddPathConfig(ap.optional("receive", BOOL, false), ap.optional("send", BOOL, false));
        }
        List<AfiSafi> families = families(errors, p);
        if (errors.count() > before) return null;
        return new PeerConfig(name, address, port, asn, passive, families, Optional.ofNullable(local), holdTime,
                connectRetry, description, nextHopSelf, addPath, shutdown, rsClient, importAction, exportAction);
    }

    private static List<AfiSafi> families(Section.Errors errors, Section p) {
        List<Node> items = p.list("families");
        if (items == null) return PeerConfig.DEFAULT_FAMILIES;
        List<AfiSafi> families = new ArrayList<>();
        for (Node item : items) {
            AfiSafi f = Section.scalar(errors, item, FAMILY);
            if (f == null) continue;
            if (families.contains(f)) errors.at(item, "duplicate family \"" + f + "\"");
            else families.add(f);
        }
        if (items.isEmpty()) errors.at(p.get("families"), "a peer needs at least one family (allowed: "
                + String.join(", ", FAMILY_NAMES) + ")");
        return families;
    }

    private static AfiSafi family(String text) {
        AfiSafi f = AfiSafi.fromName(text);
        if (f != null) return f;
        String guess = Values.closest(text, FAMILY_NAMES);
        throw new IllegalArgumentException("unknown family \"" + text + "\""
                + (guess != null ? "; did you mean \"" + guess + "\"?" : "")
                + " (allowed: " + String.join(", ", FAMILY_NAMES) + ")");
    }

    private static List<AnnounceConfig> announce(Section.Errors errors, Section top) {
        List<Node> items = top.list("announce");
        List<AnnounceConfig> routes = new ArrayList<>();
        if (items == null) return routes;
        Map<IpPrefix, Node> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section a = Section.of(errors, items.get(i), "announce[" + i + "]", ANNOUNCE_KEYS);
            if (a == null) continue;
            int before = errors.count();
            IpPrefix prefix = a.required("prefix", PREFIX);
            InetAddress nextHop = a.optional("next-hop", ADDRESS, null);
            if (prefix != null && nextHop != null && nextHop.getClass() != prefix.address().getClass()) {
                errors.at(a.get("next-hop"), "next-hop " + Addresses.format(nextHop) + " is not of the same family as prefix "
                        + prefix);
            }
            Long med = a.optional("med", MED, null);
            int prepend = a.optional("as-path-prepend", PREPEND, 0);
            List<Community> communities = items(errors, a, "communities", COMMUNITY);
            List<LargeCommunity> large = items(errors, a, "large-communities", LARGE);
            if (errors.count() > before) continue;
            Node first = seen.putIfAbsent(prefix, a.get("prefix"));
            if (first != null) {
                errors.at(a.get("prefix"), "duplicate announce of " + prefix + " (first at line " + line(first) + ")");
                continue;
            }
            routes.add(new AnnounceConfig(prefix, Optional.ofNullable(nextHop),
                    med == null ? OptionalLong.empty() : OptionalLong.of(med), prepend, communities, large));
        }
        return routes;
    }

    private static <T> List<T> items(Section.Errors errors, Section s, String key, Section.Kind<T> kind) {
        List<Node> nodes = s.list(key);
        List<T> out = new ArrayList<>();
        if (nodes == null) return out;
        for (Node n : nodes) {
            T t = Section.scalar(errors, n, kind);
            if (t != null && !out.contains(t)) out.add(t);
        }
        return out;
    }

    /** Parses a scalar without reporting: null when absent or invalid (already reported elsewhere). */
    private static <T> T quiet(Node n, java.util.function.Function<String, T> parse) {
        if (!(n instanceof ScalarNode sc)) return null;
        try {
            return parse.apply(sc.getValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
