package dev.ixora.lab;

import dev.ixora.lab.daemon.RouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LANs of type ovs: an Open vSwitch bridge on the userspace datapath, run by the lab's own
 * ovsdb-server and ovs-vswitchd in its switch namespace. Real packets (ping over IPv4 and IPv6, BGP
 * over TCP between BIRD and FRR) cross the switch; its flows and MAC table are read through the
 * lab's private sockets; down leaves no OVS process behind. Needs root, Open vSwitch, ethtool, BIRD
 * and FRR: fails (does not skip) without them.
 */
class OvsLanTest {
    static final Path ROOT = LabTest.ROOT;
    static final List<String> LABS = List.of("h13ovs", "h13ova", "h13ovb");

    /** BIRD and FRR peering across an OVS LAN, with a plain host beside them. */
    static final String BGP_TOPOLOGY = """
            lab: h13ovs
            lans:
              - name: fabric
                type: ovs
                ipv4: 198.18.40.0/24
                ipv6: 2001:db8:40::/64
            nodes:
              - name: bird1
                kind: bird
                asn: 64601
                lans: [fabric]
                neighbors: [frr1]
                announce: ["203.0.113.0/24", "2001:db8:1100::/48"]
              - name: frr1
                kind: frr
                asn: 64602
                lans: [fabric]
                neighbors: [bird1]
                announce: ["198.51.100.0/24", "2001:db8:1200::/48"]
              - name: h1
                kind: host
                lans: {fabric: {ipv4: 198.18.40.99, ipv6: "2001:db8:40::99"}}
            """;

    /** Hosts only, an OVS LAN beside a Linux-bridge LAN (so the OVS bridge is br1). */
    static final String HOSTS_TOPOLOGY = """
            lab: LABNAME
            lans:
              - name: lan
              - name: fabric
                type: ovs
            nodes:
              - name: h1
                kind: host
                lans: [lan, fabric]
              - name: h2
                kind: host
                lans: [fabric]
              - name: h3
                kind: host
                lans: [lan]
            """;

    @BeforeAll
    static void needRootAndOvs() throws IOException {
        assertEquals("0", Shell.run("id", "-u").strip(), "the lab tests need root");
        OvsSwitch.requireInstalled(); // throws, naming what is missing: CI installs openvswitch-switch
        for (String lab : LABS) Lab.downByName(lab, ROOT); // leftovers of an earlier run
    }

    @AfterAll
    static void cleanup() throws IOException {
        for (String lab : LABS) Lab.downByName(lab, ROOT);
    }

    @Test
    void bgpAndPingCrossTheOvsLanAndDownLeavesNoOvsProcess() throws Exception {
        Lab lab = Lab.up(Topology.parse(BGP_TOPOLOGY, "ovs.yaml"), ROOT);
        long vswitchd;
        long ovsdb;
        OvsSwitch ovs = lab.ovs().orElseThrow();
        try {
            vswitchd = ovs.vswitchdPid().orElseThrow();
            ovsdb = ovs.ovsdbPid().orElseThrow();
            // both daemons run in the lab's switch namespace, not in the host's
            assertEquals("h13ovs-sw", Shell.run("ip", "netns", "identify", Long.toString(vswitchd)).strip());
            assertEquals("h13ovs-sw", Shell.run("ip", "netns", "identify", Long.toString(ovsdb)).strip());
            assertTrue(Files.exists(ovs.dbSocket()), ovs.dbSocket().toString());

            // the bridge: userspace datapath, one port per node
            String br = lab.lanBridge("fabric");
            assertEquals("br0", br);
            assertEquals("netdev", ovs.vsctl("get", "bridge", br, "datapath_type").strip());
            assertEquals(List.of("l0n0", "l0n1", "l0n2"), ovs.vsctl("list-ports", br).lines().toList());
            // offloads off on the nodes' ends (otherwise TCP checksums arrive unfilled)
            assertTrue(lab.node("h1").run("ethtool", "-k", "eth0").contains("tx-checksumming: off"));

            // IPv4 and IPv6 through the switch
            LabNode h1 = lab.node("h1");
            h1.run("ping", "-c", "2", "-W", "5", "198.18.40.1");
            h1.run("ping", "-c", "2", "-W", "5", "2001:db8:40::2");
            lab.node("bird1").run("ping", "-c", "1", "-W", "5", "2001:db8:40::99");

            // TCP: BGP sessions over IPv4 and IPv6 come up, and routes go both ways
            lab.awaitEstablished(Duration.ofSeconds(90));
            lab.awaitRoutes("bird1", r -> prefixes(r).containsAll(List.of("198.51.100.0/24", "2001:db8:1200::/48")), Duration.ofSeconds(60));
            lab.awaitRoutes("frr1", r -> prefixes(r).containsAll(List.of("203.0.113.0/24", "2001:db8:1100::/48")), Duration.ofSeconds(60));

            // the learning switch: one NORMAL flow that has carried the packets above, and every node's MAC learned
            String flows = ovs.ofctl("dump-flows", br);
            assertTrue(flows.contains("priority=0 actions=NORMAL"), flows);
            Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(flows);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 10, flows);
            String fdb = ovs.appctl("fdb/show", br);
            for (String node : List.of("bird1", "frr1", "h1")) {
                String mac = lab.node(node).run("cat", "/sys/class/net/eth0/address").strip();
                assertTrue(fdb.contains(mac), node + " " + mac + " not in\n" + fdb);
            }
            // `ixora lab exec FILE sw CMD`: plain OVS commands in the switch namespace find the lab's own daemons
            assertTrue(Shell.run(lab.switchCommand(List.of("ovs-vsctl", "show"))).contains("datapath_type: netdev"));
            assertTrue(Shell.run(lab.switchCommand(List.of("ovs-ofctl", "dump-flows", "br0"))).contains("actions=NORMAL"));
            assertTrue(Shell.run(lab.switchCommand(List.of("ovs-appctl", "fdb/show", "br0"))).contains("MAC"));
            assertTrue(Shell.run(lab.switchCommand(List.of("ip", "-o", "link"))).contains("l0n2"));
            String status = LabCommands.table(lab);
            assertTrue(status.contains("ovs-vswitchd pid " + vswitchd) && status.contains("db unix:" + ovs.dbSocket()), status);
            // nothing of the switch shows on the host
            assertFalse(Shell.run("ip", "-o", "link").contains("ovs-netdev"));
        } finally {
            lab.down();
        }
        assertFalse(LabNode.alive(vswitchd), "ovs-vswitchd " + vswitchd + " survived down");
        assertFalse(LabNode.alive(ovsdb), "ovsdb-server " + ovsdb + " survived down");
        assertTrue(ovs.vswitchdPid().isEmpty());
        for (String f : List.of("ovs-vswitchd.pid", "ovsdb-server.pid", "db.sock", "ovs-vswitchd.ctl", "br0.mgmt")) {
            assertFalse(Files.exists(ovs.dir().resolve(f)), f + " left in " + ovs.dir());
        }
        assertTrue(Files.exists(ovs.dir().resolve("ovs-vswitchd.log")), "logs are kept");
        LabTest.assertNothingLeftNamed("h13ovs");
        lab.down(); // idempotent
    }

    @Test
    void twoLabsWithOvsLansRunSideBySideAndACrashedOneIsRemovedByName() throws Exception {
        Lab a = Lab.up(hosts("h13ova"), ROOT);
        try (Lab b = Lab.up(hosts("h13ovb"), ROOT)) {
            OvsSwitch ovsA = a.ovs().orElseThrow();
            OvsSwitch ovsB = b.ovs().orElseThrow();
            assertFalse(ovsA.dbSocket().equals(ovsB.dbSocket()));
            // the same addresses in both labs: each lab's switch is its own
            for (Lab lab : List.of(a, b)) {
                assertEquals("br1", lab.lanBridge("fabric"));
                lab.node("h1").run("ping", "-c", "1", "-W", "5", "198.18.1.2");
                lab.node("h2").run("ping", "-c", "1", "-W", "5", "2001:db8:1::1");
                lab.node("h3").run("ping", "-c", "1", "-W", "5", "198.18.0.1"); // the Linux bridge LAN beside it
                // h3 is not on the OVS LAN
                assertFalse(lab.node("h3").exec(List.of("ping", "-c", "1", "-W", "1", "198.18.1.2")).ok());
            }
            assertEquals(List.of("l1n0", "l1n1"), ovsA.vsctl("list-ports", "br1").lines().toList());
            long vswitchdA = ovsA.vswitchdPid().orElseThrow();
            long ovsdbA = ovsA.ovsdbPid().orElseThrow();
            long vswitchdB = ovsB.vswitchdPid().orElseThrow();

            // "crash": lab a's object is forgotten, only its name is known
            List<String> removed = Lab.downByName("h13ova", ROOT);
            assertTrue(removed.contains("process " + vswitchdA + " (sw/ovs-vswitchd)"), removed.toString());
            assertTrue(removed.contains("process " + ovsdbA + " (sw/ovsdb-server)"), removed.toString());
            assertTrue(removed.contains("namespace h13ova-sw"), removed.toString());
            assertFalse(LabNode.alive(vswitchdA));
            assertFalse(LabNode.alive(ovsdbA));
            LabTest.assertNothingLeftNamed("h13ova");

            // b is untouched
            assertTrue(LabNode.alive(vswitchdB));
            b.node("h1").run("ping", "-c", "1", "-W", "5", "2001:db8:1::2");
            assertTrue(ovsB.ofctl("dump-flows", "br1").contains("actions=NORMAL"));
        } finally {
            a.down();
        }
        LabTest.assertNothingLeftNamed("h13ovb");
    }

    private static Topology hosts(String lab) throws Exception {
        return Topology.parse(HOSTS_TOPOLOGY.replace("LABNAME", lab), "hosts-ovs.yaml");
    }

    private static List<String> prefixes(List<RouteInfo> routes) {
        return routes.stream().map(RouteInfo::prefix).toList();
    }
}
