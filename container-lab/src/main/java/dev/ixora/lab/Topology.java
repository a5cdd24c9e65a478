package dev.ixora.lab;

import dev.ixora.conf.ConfigException;
import dev.ixora.lab.daemon.NodeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A lab topology as read from a topology file: the lab's name, its LANs and its nodes, every
 * address resolved (auto-assigned ones included) and every neighbor turned into concrete BGP
 * sessions. Immutable; {@link Lab#up} builds it.
 */
public record Topology(String name, List<Lan> lans, List<Node> nodes) {
    public Topology {
        if (!name.matches(NAME_LAB)) throw new IllegalArgumentException("bad lab name " + name);
        lans = List.copyOf(lans);
        nodes = List.copyOf(nodes);
    }

    /** Lab names: letters, digits and '_' only, so "&lt;lab&gt;-" is an unambiguous prefix of every name the lab owns. */
    static final String NAME_LAB = "[A-Za-z0-9_]{1,24}";
    /** Node and LAN names. */
    static final String NAME_NODE = "[A-Za-z0-9][A-Za-z0-9_-]{0,30}";

    /** Reads, validates and resolves a topology file; errors carry file:line:column. */
    public static Topology load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** Same as {@link #load} for text already in memory; fileName is used in error messages. */
    public static Topology parse(String yaml, String fileName) throws ConfigException {
        return new TopologyParser(fileName).parse(yaml);
    }

    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Optional<Lan> lan(String lanName) {
        return lans.stream().filter(l -> l.name().equals(lanName)).findFirst();
    }

    /** How a LAN is built: a Linux bridge in the lab's switch namespace, a plain veth pair, or Open vSwitch. */
    public enum LanType {
        BRIDGE, P2P, OVS
    }

    /** A LAN; ipv4/ipv6 are prefixes ("198.18.0.0/24"), null when the LAN does not carry that family. */
    public record Lan(String name, LanType type, String ipv4, String ipv6) {
    }

    /** A node's port on a LAN; addresses in CIDR form with the LAN's length, null when absent. */
    public record Attachment(String lan, String ipv4, String ipv6) {
    }

    /** cgroup limits; null means unlimited. cpu in cores (0.5 = half a core), memory in bytes. */
    public record Limits(Double cpu, Long memoryBytes) {
        public static final Limits NONE = new Limits(null, null);

        public Limits {
            if (cpu != null && !(cpu > 0)) throw new IllegalArgumentException("cpu limit must be > 0");
            if (memoryBytes != null && memoryBytes <= 0) throw new IllegalArgumentException("memory limit must be > 0");
        }
    }

    /** A node: what its daemon gets ({@link NodeSpec}) plus what the lab builds around it. */
    public record Node(NodeSpec spec, List<Attachment> attachments, Limits limits) {
        public Node {
            attachments = List.copyOf(attachments);
        }

        public String name() {
            return spec.name();
        }

        public String kind() {
            return spec.kind();
        }
    }
}
