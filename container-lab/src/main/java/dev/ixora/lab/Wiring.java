package dev.ixora.lab;

import dev.ixora.lab.Topology.Attachment;
import dev.ixora.lab.Topology.Lan;
import dev.ixora.lab.Topology.LanType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a lab's network: a namespace per node, a "switch" namespace holding one Linux bridge per
 * LAN (never the host's own namespace), veth pairs from each node to its LANs' bridges, direct veth
 * pairs for p2p LANs, and the interface addresses. Every link is created inside a lab namespace
 * ({@code ip -n NS link add ... peer ... netns OTHER}), so nothing appears on the host, not even
 * for a moment.
 */
final class Wiring {
    private final Topology topo;

    Wiring(Topology topo) {
        this.topo = topo;
    }

    /** The namespaces this topology needs: the switch (when any LAN is a bridge) and one per node. */
    List<String> namespaces() {
        List<String> out = new ArrayList<>();
        if (topo.lans().stream().anyMatch(l -> l.type() == LanType.BRIDGE)) out.add(Names.switchNs(topo.name()));
        for (Topology.Node n : topo.nodes()) out.add(Names.netns(topo.name(), n.name()));
        return out;
    }

    void build() throws IOException {
        String lab = topo.name();
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
