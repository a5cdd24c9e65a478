package dev.ixora.lab.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import dev.ixora.lab.Topology;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LANs of a topology as Docker bridge networks, one per LAN, with the LAN's IPv4 and IPv6
 * subnets so each node keeps the addresses the topology gave it. Docker puts a gateway address of
 * each subnet on the host side of the bridge; it gets the highest address of the subnet that no
 * node uses (the lab never routes through it: daemons peer on the LAN itself).
 */
final class DockerLans {
    private DockerLans() {
    }

    /** Creates the network of each LAN; returns the networks' names. */
    static List<String> create(DockerClient docker, Topology topology) {
        List<String> made = new ArrayList<>();
        for (Topology.Lan lan : topology.lans()) {
            if (lan.type() == Topology.LanType.OVS) {
                throw new IllegalArgumentException("lan " + lan.name() + ": type ovs is not supported on the Docker "
                        + "backend (Docker networks are Linux bridges); use the namespace backend");
            }
            Set<String> used = new HashSet<>();
            for (Topology.Node n : topology.nodes()) {
                for (Topology.Attachment a : n.attachments()) {
                    if (!a.lan().equals(lan.name())) continue;
                    if (a.ipv4() != null) used.add(host(a.ipv4()));
                    if (a.ipv6() != null) used.add(host(a.ipv6()));
                }
            }
            List<Network.Ipam.Config> configs = new ArrayList<>();
            if (lan.ipv4() != null) configs.add(subnet(lan.name(), lan.ipv4(), used));
            if (lan.ipv6() != null) configs.add(subnet(lan.name(), lan.ipv6(), used));
            String name = DockerNames.network(topology.name(), lan.name());
            docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withEnableIpv6(lan.ipv6() != null)
                    .withIpam(new Network.Ipam().withConfig(configs))
                    .withLabels(Map.of(DockerNames.LABEL, topology.name()))
                    .exec();
            made.add(name);
        }
        return made;
    }

    private static Network.Ipam.Config subnet(String lan, String prefix, Set<String> used) {
        return new Network.Ipam.Config().withSubnet(prefix).withGateway(gateway(lan, prefix, used));
    }

    /** The highest address of prefix that Docker can give (not the last one) and no node uses. */
    static String gateway(String lan, String prefix, Set<String> used) {
        int slash = prefix.indexOf('/');
        byte[] net = literal(prefix.substring(0, slash));
        int len = Integer.parseInt(prefix.substring(slash + 1));
        int bits = net.length * 8;
        BigInteger base = new BigInteger(1, net);
        BigInteger size = BigInteger.ONE.shiftLeft(bits - len);
        // Docker's IPAM hands out neither the first nor the last address of a subnet, IPv6 included
        // (for IPv4 the last one is the broadcast address, RFC 919).
        BigInteger top = base.add(size).subtract(BigInteger.TWO);
        for (BigInteger a = top; a.compareTo(base) > 0 && top.subtract(a).intValue() < 1024; a = a.subtract(BigInteger.ONE)) {
            String text = text(a, net.length);
            if (!used.contains(text)) return text;
        }
        throw new IllegalArgumentException("lan " + lan + ": no free address in " + prefix
                + " for the Docker network's gateway (Docker puts one on the host's bridge); use a larger subnet");
    }

    /** The address of "addr/len", normalised for comparison. */
    private static String host(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] b = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        return text(new BigInteger(1, b), b.length);
    }

    private static byte[] literal(String addr) {
        if (!addr.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException("not an address literal: " + addr);
        try {
            return InetAddress.getByName(addr).getAddress(); // a literal: no resolver involved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + addr, e);
        }
    }

    private static String text(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] b = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, b, length - copy, copy);
        try {
            // Docker wants IPv6 in any valid form; getHostAddress() gives the uncompressed one.
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
