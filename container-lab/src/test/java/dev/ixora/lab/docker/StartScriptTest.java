package dev.ixora.lab.docker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.lab.Topology;
import dev.ixora.lab.daemon.Gobgp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

/** What a node's container runs first: wait for its addresses, fix owners by name, exec the daemon. */
class StartScriptTest {
    @Test
    void waitsForEveryAddressThenExecsTheCommandIntoTheLog() throws Exception {
        Topology t = Topology.parse("""
                lab: sst
                lans:
                  - {name: a, ipv4: 198.18.7.0/24, ipv6: "2001:db8:7::/64"}
                  - {name: b, ipv4: 198.18.9.0/29}
                nodes:
                  - {name: n1, kind: gobgp, asn: 65001, lans: [a, b]}
                """, "sst.yaml");
        Path labDir = Files.createTempDirectory("h9-startscript");
        DockerNode n = new DockerNode("sst", t.node("n1").orElseThrow(), new Gobgp(), labDir);
        Files.createDirectories(n.workDir());
        Path owned = Files.createDirectories(n.workDir().resolve("frr"));
        UserPrincipalLookupService users = owned.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(owned, users.lookupPrincipalByName("frr")); // bin/setup installs frr on the host

        StartScript.write(n, List.of("/bin/sh", "/x/run.sh", "it's"));
        String s = Files.readString(StartScript.path(n));
        for (String a : List.of("198.18.7.1/32", "2001:db8:7::1/128", "198.18.9.1/32")) {
            assertTrue(s.contains("ip -o addr show to " + a + " | grep -v tentative"), a + " not awaited:\n" + s);
        }
        assertTrue(s.contains("chown -h 'frr' '" + owned + "'"), s);
        assertTrue(s.contains("exec '/bin/sh' '/x/run.sh' 'it'\\''s' >> \"$log\" 2>&1"), s);
        assertTrue(Files.isExecutable(StartScript.path(n)));
    }
}
