package dev.ixora.lab;

import dev.ixora.lab.Topology.Attachment;
import dev.ixora.lab.Topology.Lan;
import dev.ixora.lab.Topology.LanType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a lab's network: a namespace per node, a "switch" namespace holding one bridge per LAN
 * (never the host's own namespace): a Linux bridge, or for {@code type: ovs} an Open vSwitch bridge
 * of the lab's private {@link OvsSwitch}; veth pairs from each node to its LANs' bridges, direct
 * veth pairs for p2p LANs, and the interface addresses. Every link is created inside a lab
 * namespace ({@code ip -n NS link add ... peer ... netns OTHER}), so nothing appears on the host,
 * not even for a moment.
 */
final class Wiring {
    private final Topology topo;
    private final OvsSwitch ovs;

    /** ovs: the lab's switch, required when a LAN has type ovs, else null. */
    Wiring(Topology topo, OvsSwitch ovs) {
        this.topo = topo;
        this.ovs = ovs;
        if (ovs == null && topo.lans().stream().anyMatch(l -> l.type() == LanType.OVS)) {
            throw new IllegalArgumentException("lab " + topo.name() + " has ovs LANs but no OvsSwitch");
        }
    }

    /** The namespaces this topology needs: the switch (when any LAN is a bridge or ovs) and one per node. */
    List<String> namespaces() {
        List<String> out = new ArrayList<>();
        if (topo.lans().stream().anyMatch(l -> l.type() != LanType.P2P)) out.add(Names.switchNs(topo.name()));
        for (Topology.Node n : topo.nodes()) out.add(Names.netns(topo.name(), n.name()));
        return out;
    }

    void build() throws IOException {
        String lab = topo.name();
        if (ovs != null) OvsSwitch.requireInstalled(); // before anything is made
        for (String ns : namespaces()) {
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        for (Topology.Node n : topo.nodes()) {
            // RFC 4862 §5.4: skip duplicate address detection so lab addresses are usable at once;
            // "default" covers interfaces that arrive in the namespace after this.
            Shell.run("ip", "netns", "exec", Names.netns(lab, n.name()), "sysctl", "-q", "-w",
                    "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        }
        String sw = Names.switchNs(lab);
        List<Lan> lans = topo.lans();
        for (int l = 0; l < lans.size(); l++) {
            if (lans.get(l).type() != LanType.BRIDGE) continue;
            String br = Names.bridge(l);
            // No multicast snooping: IPv6 neighbour discovery must flood without MLD state.
            Shell.run("ip", "-n", sw, "link", "add", br, "type", "bridge", "mcast_snooping", "0");
            Shell.run("ip", "-n", sw, "link", "set", br, "up");
        }
        if (ovs != null) ovs.start();
        for (int l = 0; l < lans.size(); l++) {
            Lan lan = lans.get(l);
            List<Integer> members = members(lan.name());
            if (lan.type() == LanType.BRIDGE) {
                for (int n : members) {
                    Topology.Node node = topo.nodes().get(n);
                    String port = Names.switchPort(l, n);
                    Shell.run("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", ifname(node, lan.name()),
                            "netns", Names.netns(lab, node.name()));
                    Shell.run("ip", "-n", sw, "link", "set", port, "master", Names.bridge(l), "up");
                }
            } else if (lan.type() == LanType.OVS) {
                List<String> ports = new ArrayList<>();
                for (int n : members) {
                    Topology.Node node = topo.nodes().get(n);
                    String port = Names.switchPort(l, n);
                    Shell.run("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", ifname(node, lan.name()),
                            "netns", Names.netns(lab, node.name()));
                    // The userspace datapath reads and writes the port through an AF_PACKET socket:
                    // the interface must be up for it to see anything.
                    Shell.run("ip", "-n", sw, "link", "set", port, "up");
                    ports.add(port);
                }
                ovs.addBridge(Names.bridge(l), ports);
            } else if (lan.type() == LanType.P2P) {
                Topology.Node a = topo.nodes().get(members.get(0));
                Topology.Node b = topo.nodes().get(members.get(1));
                Shell.run("ip", "-n", Names.netns(lab, a.name()), "link", "add", ifname(a, lan.name()), "type", "veth",
                        "peer", "name", ifname(b, lan.name()), "netns", Names.netns(lab, b.name()));
            } else {
                throw new IOException("LAN " + lan.name() + ": type " + lan.type() + " is not supported yet");
            }
        }
        for (Topology.Node n : topo.nodes()) {
            String ns = Names.netns(lab, n.name());
            for (Attachment a : n.attachments()) {
                String dev = ifname(n, a.lan());
                if (topo.lan(a.lan()).orElseThrow().type() == LanType.OVS) {
                    // A veth hands its peer TCP and UDP packets with the checksum left to "hardware"
                    // (CHECKSUM_PARTIAL); the userspace datapath forwards those bytes as they are, so
                    // the receiving node drops every TCP segment (ping still works: ICMP has no
                    // offload). Checksums computed by the sender's kernel survive the switch.
                    Shell.run("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off");
                }
                if (a.ipv4() != null) Shell.run("ip", "-n", ns, "addr", "add", a.ipv4(), "dev", dev);
                if (a.ipv6() != null) Shell.run("ip", "-n", ns, "addr", "add", a.ipv6(), "dev", dev, "nodad");
                Shell.run("ip", "-n", ns, "link", "set", dev, "up");
            }
        }
    }

    private List<Integer> members(String lan) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < topo.nodes().size(); i++) {
            if (topo.nodes().get(i).attachments().stream().anyMatch(a -> a.lan().equals(lan))) out.add(i);
        }
        return out;
    }

    static String ifname(Topology.Node node, String lan) {
        List<Attachment> a = node.attachments();
        for (int i = 0; i < a.size(); i++) if (a.get(i).lan().equals(lan)) return "eth" + i;
        throw new IllegalArgumentException("node " + node.name() + " is not on LAN " + lan);
    }
}
