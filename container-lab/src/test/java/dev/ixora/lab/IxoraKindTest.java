package dev.ixora.lab;

import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import dev.ixora.conf.PeerConfig;
import dev.ixora.lab.daemon.Ixora;
import dev.ixora.lab.daemon.NodeExec;
import dev.ixora.lab.daemon.NodeSpec;
import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "ixora" kind without running it: the config it writes is one conf accepts; the API is read right. */
class IxoraKindTest {
    @TempDir
    Path tmp;

    @Test
    void writesAConfigTheConfModuleAccepts() throws Exception {
        Topology t = Topology.load(Path.of("topologies", "ixp.yaml"));
        NodeSpec rs = t.node("rs").orElseThrow().spec();
        Path dir = tmp;
        FakeNode node = new FakeNode(dir, Map.of());
        System.setProperty("ixora.jar", Files.createFile(dir.resolve("ixora.jar")).toString());
        try {
            new Ixora().prepare(rs, node);
        } finally {
            System.clearProperty("ixora.jar");
        }
        ConfigImage image = ConfigLoader.load(node.etcDir().resolve("ixora/ixora.yaml"));
        assertEquals(64500, image.router().asn());
        assertTrue(image.routeServer());
        assertEquals(10, image.peers().size(), "five clients, an IPv4 and an IPv6 session each");
        PeerConfig bird6 = image.peer("bird1-v6").orElseThrow();
        assertEquals(java.net.InetAddress.getByName("2001:db8::2"), bird6.address());
        assertEquals(64501, bird6.asn());
        assertEquals(1, bird6.families().size());
        assertTrue(bird6.routeServerClient());
        assertTrue(image.api().isPresent());
    }

    @Test
    void refusesToPrepareWithoutTheJar() throws Exception {
        Path dir = tmp;
        System.setProperty("ixora.jar", dir.resolve("missing.jar").toString());
        try {
            IOException e = assertThrows(IOException.class, () -> new Ixora().prepare(spec(), new FakeNode(dir, Map.of())));
            assertTrue(e.getMessage().contains("missing.jar"), e.getMessage());
        } finally {
            System.clearProperty("ixora.jar");
        }
    }

    @Test
    void readsSessionsAndRoutesFromTheApi() throws Exception {
        // the shape of route-server's ApiServer answers
        String peers = """
                {"peers":[{"name":"bird1-v4","address":"198.18.0.2","port":179,"asn":64501,"description":null,
                 "state":"Established","state_since":"2026-11-25T20:00:00Z","uptime_seconds":5,
                 "prefixes_received":{"ipv4-unicast":2,"ipv6-unicast":1},"capabilities":{"families":["ipv4-unicast"]}},
                 {"name":"frr1-v4","address":"198.18.0.3","asn":64502,"state":"OPEN_SENT","prefixes_received":{}}]}
                """;
        String routes = """
                {"routes":[{"peer":"bird1-v4","family":"ipv4-unicast","prefix":"203.0.113.0/24","path_id":null,
                 "next_hop":"198.18.0.2","as_path":"64501 64510 {64511,64512}","origin":"IGP","med":null,"local_pref":null,
                 "communities":["64501:2","64501:1"],"large_communities":[],"unknown_attributes":[]},
                 {"peer":"bird1-v6","family":"ipv6-unicast","prefix":"2001:db8:100::/48","next_hop":"2001:db8::2,fe80::1",
                  "as_path":"64501","med":10,"communities":[],"large_communities":["64501:1:2"]}]}
                """;
        FakeNode node = new FakeNode(tmp,
                Map.of("http://127.0.0.1:8080/api/v1/peers", peers, "http://127.0.0.1:8080/api/v1/routes", routes));
        assertEquals(List.of(new SessionInfo("198.18.0.2", "Established", 3), new SessionInfo("198.18.0.3", "OpenSent", 0)),
                new Ixora().sessions(spec(), node));
        List<RouteInfo> r = new Ixora().routes(spec(), node);
        assertEquals("203.0.113.0/24 via 198.18.0.2 path [64501, 64510, 64511, 64512] comm 64501:1,64501:2", r.get(0).normalised());
        assertEquals("2001:db8:100::/48 via 2001:db8::2 path [64501] med 10 lcomm 64501:1:2", r.get(1).normalised());
        assertTrue(node.commands.get(0).startsWith("curl"), node.commands.toString());
    }

    private static NodeSpec spec() {
        return new NodeSpec("rs", "ixora", 64500, "198.18.0.1", List.of("198.18.0.1/24"), List.of(), List.of(), Map.of());
    }

    /** A NodeExec over a temp directory, answering curl with canned bodies. */
    static final class FakeNode implements NodeExec {
        final Path dir;
        final Map<String, String> answers;
        final List<String> commands = new ArrayList<>();

        FakeNode(Path dir, Map<String, String> answers) {
            this.dir = dir;
            this.answers = answers;
        }

        @Override
        public String run(String... argv) throws IOException {
            commands.add(String.join(" ", argv));
            String body = answers.get(argv[argv.length - 1]);
            if (body == null) throw new IOException("no answer for " + List.of(argv));
            return body;
        }

        @Override
        public Path etcDir() {
            return dir.resolve("etc");
        }

        @Override
        public Path runDir() {
            return dir.resolve("run");
        }

        @Override
        public Path workDir() {
            return dir.resolve("log");
        }
    }
}
