package dev.ixora.lab;

import dev.ixora.conf.ConfigError;
import dev.ixora.conf.ConfigException;
import dev.ixora.lab.daemon.NodeSpec;
import dev.ixora.lab.daemon.NodeSpec.Neighbor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topology files: addresses, sessions and the file:line:column errors. No root needed. */
class TopologyTest {
    static final String IXP = """
            lab: ixp1
            lans:
              - name: peering
                ipv4: 198.18.0.0/24
                ipv6: 2001:db8::/64
            nodes:
              - name: rs
                kind: ixora
                asn: 64500
                router-id: 198.18.0.1
                lans: {peering: {ipv4: 198.18.0.1, ipv6: "2001:db8::1"}}
                route-server: true
                neighbors: [bird1, frr1]
              - name: bird1
                kind: bird
                asn: 64501
                lans: [peering]
                neighbors: [{node: rs}]
                announce: ["203.0.113.0/24", {prefix: "2001:db8:100::/48", communities: ["64501:1"], med: 10}]
                limits: {cpu: 0.5, memory: 256M}
              - name: frr1
                kind: frr
                asn: AS64502
                lans: [peering]
                neighbors: [{node: rs, families: [ipv6-unicast], hold-time: 9, passive: true}]
            """;

    @Test
    void resolvesAddressesAndSessions() throws Exception {
        Topology t = Topology.parse(IXP, "ixp1.yaml");
        assertEquals("ixp1", t.name());
        NodeSpec rs = t.node("rs").orElseThrow().spec();
        NodeSpec bird = t.node("bird1").orElseThrow().spec();
        NodeSpec frr = t.node("frr1").orElseThrow().spec();
        assertEquals(List.of("198.18.0.1/24", "2001:db8::1/64"), rs.addresses());
        // auto-assigned: host number = position in the file (bird1 is the 2nd node)
        assertEquals(List.of("198.18.0.2/24", "2001:db8::2/64"), bird.addresses());
        assertEquals(List.of("198.18.0.3/24", "2001:db8::3/64"), frr.addresses());
        assertEquals("198.18.0.2", bird.routerId(), "router-id defaults to the first IPv4 address");
        assertEquals("true", rs.options().get("route-server"));

        assertEquals(List.of(
                new Neighbor("bird1-v4", "198.18.0.2", 64501, false, false, List.of("ipv4-unicast"), 0),
                new Neighbor("bird1-v6", "2001:db8::2", 64501, false, false, List.of("ipv6-unicast"), 0),
                new Neighbor("frr1-v4", "198.18.0.3", 64502, false, false, List.of("ipv4-unicast"), 0),
                new Neighbor("frr1-v6", "2001:db8::3", 64502, false, false, List.of("ipv6-unicast"), 0)), rs.neighbors());
        // the route server flag follows the node it points at
        assertEquals(List.of(
                new Neighbor("rs-v4", "198.18.0.1", 64500, true, false, List.of("ipv4-unicast"), 0),
                new Neighbor("rs-v6", "2001:db8::1", 64500, true, false, List.of("ipv6-unicast"), 0)), bird.neighbors());
        assertEquals(List.of(new Neighbor("rs-v6", "2001:db8::1", 64500, true, true, List.of("ipv6-unicast"), 9)), frr.neighbors());

        assertEquals(List.of(NodeSpec.Announcement.of("203.0.113.0/24"),
                new NodeSpec.Announcement("2001:db8:100::/48", null, 10, List.of("64501:1"), List.of())), bird.announce());
        Topology.Limits limits = t.node("bird1").orElseThrow().limits();
        assertEquals(0.5, limits.cpu());
        assertEquals(256L << 20, limits.memoryBytes());
    }

    @Test
    void defaultLanPrefixesFollowTheLanIndex() throws Exception {
        Topology t = Topology.parse("""
                lab: x
                lans: [{name: a}, {name: b}, {name: c, ipv6: "2001:db8:ff::/64"}]
                nodes:
                  - {name: n1, kind: host, lans: [a, b, c]}
                  - {name: n2, kind: host, lans: {b: {ipv4: 198.18.1.1}}}
                """, "x.yaml");
        assertEquals(new Topology.Lan("b", Topology.LanType.BRIDGE, "198.18.1.0/24", "2001:db8:1::/64"), t.lan("b").orElseThrow());
        assertEquals(List.of("198.18.0.1/24", "2001:db8::1/64", "198.18.1.2/24", "2001:db8:1::1/64", "2001:db8:ff::1/64"),
                t.node("n1").orElseThrow().spec().addresses(), "n1 would be .1 on b, but n2 took it explicitly");
        assertEquals(List.of("198.18.1.1/24", "2001:db8:1::2/64"), t.node("n2").orElseThrow().spec().addresses());
    }

    @Test
    void errorsNameLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class, () -> Topology.parse("""
                lab: bad-name
                lans:
                  - name: peering
                    type: vxlan
                    ipv4: 198.18.0.1/24
                nodes:
                  - name: a
                    kind: birdd
                    asn: 99999999999
                    colour: red
                  - name: b
                    kind: host
                    lans: [nowhere]
                    neighbors: [a, ghost]
                  - name: b
                    kind: host
                  - name: c
                    kind: host
                    announce: ["10.0.0.1/8"]
                    limits: {memory: lots}
                """, "t.yaml"));
        List<String> got = e.errors().stream().map(ConfigError::toString).toList();
        List<String> want = List.of(
                "t.yaml:1:6: lab name must be",
                "t.yaml:4:11: expected bridge, p2p or ovs, got \"vxlan\"",
                "t.yaml:5:11: prefix 198.18.0.1/24 has host bits set; did you mean 198.18.0.0/24?",
                "t.yaml:8:11: unknown node kind \"birdd\"",
                "t.yaml:9:10: expected an AS number 1..4294967295, got \"99999999999\"",
                "t.yaml:10:5: unknown key \"colour\", expected one of [name, kind, asn",
                "t.yaml:13:12: unknown LAN \"nowhere\"",
                "t.yaml:15:5: duplicate node name \"b\"",
                "t.yaml:19:16: prefix 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?",
                "t.yaml:20:22: expected a memory size like 256M",
                "t.yaml:14:20: unknown node \"ghost\"");
        for (String w : want) {
            assertTrue(got.stream().anyMatch(g -> g.startsWith(w)), "missing \"" + w + "\" in\n" + String.join("\n", got));
        }
        // "a" is unknown as a node (its kind is bad), so the neighbor list reports both names
        assertTrue(got.stream().anyMatch(g -> g.startsWith("t.yaml:14:17: unknown node \"a\"")), String.join("\n", got));
    }

    @Test
    void ovsLansParseWithTheDefaultAddresses() throws Exception {
        Topology t = Topology.parse("""
                lab: o
                lans:
                  - {name: fabric, type: ovs}
                nodes:
                  - {name: n1, kind: host, lans: [fabric]}
                """, "o.yaml");
        assertEquals(Topology.LanType.OVS, t.lan("fabric").orElseThrow().type());
        assertEquals(List.of("198.18.0.1/24", "2001:db8::1/64"), t.node("n1").orElseThrow().spec().addresses());
    }

    @Test
    void syntaxErrorsHaveAPosition() {
        ConfigException e = assertThrows(ConfigException.class, () -> Topology.parse("lab: x\nnodes: [a,\n", "s.yaml"));
        ConfigError err = e.errors().get(0);
        assertEquals("s.yaml", err.file());
        assertTrue(err.line() >= 2, err.toString());
        assertTrue(err.message().startsWith("YAML syntax"), err.toString());
    }

    @Test
    void neighborsNeedASharedLanAndDistinctNames() {
        ConfigException e = assertThrows(ConfigException.class, () -> Topology.parse("""
                lab: x
                lans: [{name: a, ipv4: 198.18.0.0/24}, {name: b, ipv6: "2001:db8::/64"}]
                nodes:
                  - {name: n1, kind: bird, asn: 1, lans: [a], neighbors: [n2, n1]}
                  - {name: n2, kind: bird, asn: 2, router-id: 1.1.1.1, lans: [b], neighbors: [{address: 192.0.2.1, asn: 3}, {address: 192.0.2.1, asn: 3}]}
                  - {name: sw, kind: host}
                  - {name: n3, kind: bird, asn: 3, lans: [a], neighbors: [h]}
                  - {name: h, kind: host, lans: [a]}
                """, "x.yaml"));
        String all = e.getMessage();
        assertTrue(all.contains("x.yaml:4:59: node \"n1\" shares no LAN with \"n2\""), all);
        assertTrue(all.contains("x.yaml:4:63: node \"n1\" lists itself"), all);
        assertTrue(all.contains("lists neighbor \"192.0.2.1\" twice"), all);
        assertTrue(all.contains("x.yaml:6:12: node name \"sw\" is reserved"), all);
        assertFalse(all.contains("n2\" needs a router-id"), all);
        assertTrue(all.contains("x.yaml:7:59: node \"h\" is a host"), all);
    }

    @Test
    void everyKindHasAnAdapter() {
        for (String kind : Daemons.KINDS) assertEquals(kind, Daemons.forKind(kind).kind());
        assertThrows(IllegalArgumentException.class, () -> Daemons.forKind("quagga"));
    }

    @Test
    void memorySizes() {
        assertEquals(256L << 20, TopologyParser.bytes("256M"));
        assertEquals(1L << 30, TopologyParser.bytes("1g"));
        assertEquals(8192L, TopologyParser.bytes("8192"));
        assertEquals(null, TopologyParser.bytes("12"));
        assertEquals(null, TopologyParser.bytes("1T"));
    }

    @Test
    void cidrFormatsAndAllocates() {
        assertEquals("2001:db8::1/64", Cidr.parse("2001:0DB8:0:0::1/64").toString());
        assertEquals("2001:db8:0:1::/64", Cidr.parse("2001:db8:0:1:0:0:0:0/64").toString());
        assertEquals("198.18.1.0/24", Cidr.parse("198.18.1.77/24").network().toString());
        assertEquals("198.18.0.10/24", Cidr.parse("198.18.0.0/24").host(10).toString());
        assertEquals("2001:db8:2::ff/64", Cidr.parse("2001:db8:2::/64").host(255).toString());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("198.18.0.0/30").host(3));
        assertEquals(null, Cidr.parse("example.com"));
        assertEquals(null, Cidr.parse("198.18.1/24"));
    }

    @Test
    void loadsTheExampleTopologies() throws Exception {
        for (String f : List.of("ixp.yaml", "hosts.yaml", "ovs.yaml")) {
            Topology t = Topology.load(Path.of("topologies", f));
            assertFalse(t.nodes().isEmpty(), f);
        }
    }
}
