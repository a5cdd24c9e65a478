package dev.ixora.lab.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adapters' readers on output captured from the Debian daemons (bird2 2.0.12, frr 8.4.4,
 * gobgpd 3.10, openbgpd 7.7, exabgp 4.2.21), trimmed, plus the cases a two-node lab does not
 * produce: AS_SETs, a non-best alternative, a withdraw, a session going down.
 */
class ParsersTest {
    private static RouteInfo route(String prefix, String nh, List<Long> path, Long med, List<String> c, List<String> lc) {
        return new RouteInfo(prefix, nh, path, med, c, lc);
    }

    @Test
    void jsonReadsNestedValuesAndConcatenatedDocuments() {
        List<Object> docs = Json.parseAll("{\"a\": [1, -2.5, true, null, \"x\\u0041\\n\"]}\n{\"b\": {}} []");
        assertEquals(3, docs.size());
        assertEquals(List.of(1L, -2.5, true, "xA\n"), Json.arr(Json.path(docs.get(0), "a")).stream()
                .filter(java.util.Objects::nonNull).toList());
        assertEquals(Map.of(), Json.path(docs.get(1), "b"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} {}"));
    }

    @Test
    void addressesAreCanonical() {
        assertEquals("2001:db8::1", Support.address("2001:DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1::1", Support.address("2001:db8:0:1:0:0:0:1")); // RFC 5952 §4.2.3
        assertEquals("fe80::1", Support.address("fe80::1%eth0"));
        assertEquals("198.18.6.0/29", Support.prefix("198.18.6.0/29"));
        assertEquals("Established", Support.state("ESTABLISHED"));
        assertEquals("Idle", Support.state("Idle (Admin)"));
        assertEquals("Idle", Support.state("Down"));
        assertEquals("65535:65281", Support.community("NO_EXPORT"));
        assertEquals("65535:65281", Support.community("noExport"));
        assertEquals("65535:666", Support.community("blackhole"));
        assertEquals("65535:0", Support.community("graceful-shutdown"));
        assertEquals("64500:7", Support.community("64500:007"));
        assertThrows(IllegalArgumentException.class, () -> Support.community("70000:1"));
    }

    @Test
    void birdRoutesKeepBestBgpRoutesOnly() {
        String out = """
                BIRD 2.0.12 ready.
                Table master4:
                192.0.2.0/24         unicast [peer1 20:09:10.404] * (100) [AS65003i]
                \tvia 198.18.60.2 on h6a0
                \tType: BGP univ
                \tBGP.origin: IGP
                \tBGP.as_path: 65002 65003 {65004 65005}
                \tBGP.next_hop: 198.18.60.2
                \tBGP.med: 30
                \tBGP.local_pref: 100
                \tBGP.community: (65002,300) (65002,301)
                \tBGP.large_community: (65002, 3, 4)
                                     unicast [peer2 20:09:11.000] (100) [AS65009i]
                \tvia 198.18.60.9 on h6a0
                \tType: BGP univ
                \tBGP.as_path: 65009
                \tBGP.next_hop: 198.18.60.9
                203.0.113.0/24       blackhole [ixora_static4 20:08:24.900] * (200)
                \tType: static univ

                Table master6:
                2001:db8:200::/48    unicast [peer2 20:09:10.404] * (100) [AS65002i]
                \tvia 2001:db8:60::2 on h6a0
                \tType: BGP univ
                \tBGP.origin: IGP
                \tBGP.as_path: 65002
                \tBGP.next_hop: 2001:db8:60::2 fe80::7863:27ff:fe5d:c4a1
                \tBGP.local_pref: 100
                """;
        assertEquals(List.of(
                route("192.0.2.0/24", "198.18.60.2", List.of(65002L, 65003L, 65004L, 65005L), 30L,
                        List.of("65002:300", "65002:301"), List.of("65002:3:4")),
                route("2001:db8:200::/48", "2001:db8:60::2", List.of(65002L), null, List.of(), List.of())),
                Bird.parseRoutes(out, List.of("peer1", "peer2")));
    }

    @Test
    void birdProtocolsBecomeSessions() {
        String out = """
                BIRD 2.0.12 ready.
                Name       Proto      Table      State  Since         Info
                device1    Device     ---        up     20:08:24.900

                peer1      BGP        ---        up     20:08:25.952  Established
                  BGP state:          Established
                    Neighbor address: 198.18.60.2
                    Neighbor AS:      65002
                  Channel ipv4
                    Routes:         1 imported, 1 exported, 1 preferred

                peer2      BGP        ---        start  20:08:25.952  Active        Socket: Connection refused
                  BGP state:          Active
                    Neighbor address: 2001:db8:60::2
                    Neighbor AS:      65002
                """;
        assertEquals(List.of(new SessionInfo("198.18.60.2", "Established", 1),
                new SessionInfo("2001:db8:60::2", "Active", -1)), Bird.parseProtocols(out));
    }

    @Test
    void frrSummaryMergesFamiliesAndDetailsKeepTheBestReceivedPath() {
        String summary = """
                {"ipv4Unicast":{"peers":{"198.18.60.1":{"remoteAs":65001,"pfxRcd":2,"state":"Established"}}},
                 "ipv6Unicast":{"peers":{"2001:db8:60::1":{"remoteAs":65001,"state":"Active"}}}}
                """;
        assertEquals(List.of(new SessionInfo("198.18.60.1", "Established", 2),
                new SessionInfo("2001:db8:60::1", "Active", -1)), Frr.parseSummary(summary));
        String details = """
                {"prefix":"203.0.113.0/24","paths":[{"aspath":{"string":"65001","segments":[{"type":"as-sequence","list":[65001]}],"length":1},
                  "origin":"IGP","metric":10,"valid":true,"bestpath":{"overall":true},
                  "community":{"string":"65001:100","list":["65001:100"]},
                  "largeCommunity":{"string":"65001:1:2","list":["65001:1:2"]},
                  "nexthops":[{"ip":"198.18.60.1","afi":"ipv4","used":true}],
                  "peer":{"peerId":"198.18.60.1","routerId":"198.18.60.1","type":"external"}}]}
                {"prefix":"2001:db8:100::/48","paths":[{"aspath":{"segments":[{"type":"as-sequence","list":[65001]},{"type":"as-set","list":[65007,65008]}]},
                  "valid":true,"bestpath":{"overall":true},
                  "nexthops":[{"ip":"2001:db8:60::1","afi":"ipv6","scope":"global"},{"ip":"fe80::9076:30ff:fe06:e531","afi":"ipv6","scope":"link-local","used":true}],
                  "peer":{"peerId":"2001:db8:60::1","type":"external"}},
                  {"valid":true,"nexthops":[{"ip":"2001:db8:60::9"}],"peer":{"peerId":"2001:db8:60::9"}}]}
                """;
        assertEquals(List.of(
                route("203.0.113.0/24", "198.18.60.1", List.of(65001L), 10L, List.of("65001:100"), List.of("65001:1:2")),
                route("2001:db8:100::/48", "2001:db8:60::1", List.of(65001L, 65007L, 65008L), null, List.of(), List.of())),
                Frr.parseDetails(details));
    }

    @Test
    void gobgpRibDecodesNumericCommunitiesAndSkipsLocalPaths() {
        String rib = """
                {"192.0.2.0/24":[{"nlri":{"prefix":"192.0.2.0/24"},"best":true,"attrs":[{"type":1,"value":0},
                  {"type":2,"as_paths":[{"segment_type":2,"num":1,"asns":[65002]}]},{"type":3,"nexthop":"198.18.60.2"},
                  {"type":4,"metric":30},{"type":8,"communities":[4259971372]},
                  {"type":32,"value":[{"ASN":65002,"LocalData1":3,"LocalData2":4}]}],"source-id":"198.18.60.2","neighbor-ip":"198.18.60.2"}],
                 "203.0.113.0/24":[{"nlri":{"prefix":"203.0.113.0/24"},"best":true,"attrs":[{"type":1,"value":2},{"type":3,"nexthop":"0.0.0.0"}]}],
                 "2001:db8:200::/48":[{"best":true,"attrs":[{"type":2,"as_paths":[{"segment_type":2,"asns":[65002]}]},{"type":4},
                  {"type":14,"nexthop":"2001:db8:60::2","afi":2,"safi":1}],"neighbor-ip":"2001:db8:60::2"}]}
                """;
        assertEquals(List.of(
                route("192.0.2.0/24", "198.18.60.2", List.of(65002L), 30L, List.of("65002:300"), List.of("65002:3:4")),
                route("2001:db8:200::/48", "2001:db8:60::2", List.of(65002L), 0L, List.of(), List.of())),
                Gobgp.parseRib(rib));
        String neighbors = """
                [{"conf":{"neighbor_address":"198.18.60.2"},"state":{"neighbor_address":"198.18.60.2","session_state":6}},
                 {"conf":{"neighbor_address":"2001:db8:60::2"},"state":{"session_state":3}}]
                """;
        assertEquals(List.of(new SessionInfo("198.18.60.2", "Established", -1),
                new SessionInfo("2001:db8:60::2", "Active", -1)), Gobgp.parseNeighbors(neighbors));
    }

    @Test
    void openbgpdRibSkipsLocalAndNonBestPaths() {
        String rib = """
                {"rib": [
                 {"prefix": "192.0.2.0/24", "aspath": "65002 { 65010 65011 }", "exit_nexthop": "198.18.60.2",
                  "neighbor": {"description": "peer4", "remote_addr": "198.18.60.2"}, "valid": true, "best": true,
                  "metric": 30, "communities": ["65002:300"], "large_communities": ["65002:3:4"]},
                 {"prefix": "203.0.113.0/24", "aspath": "", "exit_nexthop": "198.18.60.2",
                  "neighbor": {"description": "LOCAL", "remote_addr": "???"}, "valid": true, "best": true, "metric": 10},
                 {"prefix": "2001:db8:100::/48", "aspath": "65002 65001", "exit_nexthop": "2001:db8:60::2",
                  "neighbor": {"remote_addr": "2001:db8:60::2"}, "valid": false, "metric": 0}
                ]}
                """;
        assertEquals(List.of(route("192.0.2.0/24", "198.18.60.2", List.of(65002L, 65010L, 65011L), 30L,
                List.of("65002:300"), List.of("65002:3:4"))), Openbgpd.parseRib(rib));
        String neighbors = """
                {"neighbors": [{"remote_as": "65002", "remote_addr": "198.18.60.2", "state": "Established",
                  "stats": {"prefixes": {"sent": 1, "received": 1}}}]}
                """;
        assertEquals(List.of(new SessionInfo("198.18.60.2", "Established", 1)), Openbgpd.parseNeighbors(neighbors));
    }

    @Test
    void exabgpTableFoldsAnnouncesWithdrawsAndSessionLoss() {
        String head = "{ \"exabgp\": \"4.0.1\", \"type\": \"%s\", \"neighbor\": { \"address\": { \"local\": \"198.18.60.1\", \"peer\": \"%s\" }, ";
        String up = String.format(head, "state", "198.18.60.2") + "\"state\": \"up\" } }";
        String ann = String.format(head, "update", "198.18.60.2") + "\"direction\": \"receive\", \"message\": { \"update\": { "
                + "\"attribute\": { \"origin\": \"igp\", \"as-path\": [ 65002, [ 65020, 65021 ] ], \"med\": 30, "
                + "\"community\": [ [ 65002, 300 ] ], \"large-community\": [ [ 65002, 3 , 4 ] ] }, "
                + "\"announce\": { \"ipv4 unicast\": { \"198.18.60.2\": [ { \"nlri\": \"192.0.2.0/24\" }, { \"nlri\": \"192.0.3.0/24\" } ] } } } } } }";
        String wd = String.format(head, "update", "198.18.60.2") + "\"direction\": \"receive\", \"message\": { \"update\": { "
                + "\"withdraw\": { \"ipv4 unicast\": [ { \"nlri\": \"192.0.3.0/24\" } ] } } } } }";
        String up6 = String.format(head, "state", "2001:db8:60::2") + "\"state\": \"up\" } }";
        String ann6 = String.format(head, "update", "2001:db8:60::2") + "\"message\": { \"update\": { \"attribute\": { \"as-path\": [ 65002 ] }, "
                + "\"announce\": { \"ipv6 unicast\": { \"2001:db8:60::2\": [ { \"nlri\": \"2001:db8:200::/48\" } ], "
                + "\"fe80::5481:1dff:fe42:157e\": [ { \"nlri\": \"2001:db8:200::/48\" } ] } } } } } }";
        assertEquals(List.of(route("2001:db8:200::/48", "2001:db8:60::2", List.of(65002L), null, List.of(), List.of())),
                Exabgp.Table.fold(String.join("\n", up6, ann6)).best());
        String down6 = String.format(head, "state", "2001:db8:60::2") + "\"state\": \"down\", \"reason\": \"x\" } }";
        String partial = "{ \"exabgp\": \"4.0.1\", \"type\": \"upd";
        Exabgp.Table t = Exabgp.Table.fold(String.join("\n", up, ann, wd, up6, ann6, down6, partial));
        assertEquals(List.of(route("192.0.2.0/24", "198.18.60.2", List.of(65002L, 65020L, 65021L), 30L,
                List.of("65002:300"), List.of("65002:3:4"))), t.best());
        assertEquals("Idle", t.states.get("2001:db8:60::2"));
    }

    @Test
    void unreadableOutputBecomesIoException() {
        IOException e = assertThrows(IOException.class,
                () -> Support.parse("show bgp summary json", "% BGP instance not found\n", Frr::parseSummary));
        assertEquals(true, e.getMessage().contains("BGP instance not found"));
    }
}
