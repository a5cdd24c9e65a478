package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    /** The result of one command line: exit code and what it printed. */
    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Ixora.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkAcceptsTheShippedExample() {
        Result r = run("check", "--config", "../conf/ixora.yaml");
        assertEquals(0, r.exit(), r.err());
        assertEquals("../conf/ixora.yaml: OK: AS64500 router-id 198.18.10.1, route server, 4 peers (1 shut down), "
                + "2 announced prefixes, api 127.0.0.1:8080\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void checkDumpPrintsTheNormalisedConfig() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "router: {asn: 1.10, router-id: 198.18.0.1}\n");
        Result r = run("check", "--dump", "--config", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("router asn=65546 router-id=198.18.0.1 hold-time=90\n"), r.out());
        assertTrue(r.out().contains("  listen 0.0.0.0:179 [::]:179\n"), r.out());
    }

    @Test
    void checkPrintsEveryErrorAndExitsOne() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "router:\n  asn: 64500\n  router-id: 198.18.0.1\npeers:\n  - name: bird1\n    asn: 64501\n"
                + "    address: 198.18.1\n    pasive: true\n");
        Result r = run("check", "--config", f.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(f + ":7:14: expected an IPv4 or IPv6 address, got \"198.18.1\"\n"
                + f + ":8:5: unknown key \"pasive\" in peers[0]; did you mean \"passive\"? (allowed: name, address, asn, "
                + "port, passive, families, local-address, hold-time, connect-retry, description, next-hop-self, "
                + "add-path, shutdown, route-server, import, export)\n"
                + f + ": 2 errors\n", r.err());
    }

    @Test
    void checkOfAMissingFileFails() {
        Result r = run("check", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nope.yaml:1:1: cannot read file"), r.err());
    }

    @Test
    void runWithABadConfigPrintsTheErrorsAndExitsTwo() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "router:\n  asn: 0\n  router-id: 198.18.0.1\n");
        Result r = run("run", "--config", f.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(f + ":2:8: AS 0 is reserved (RFC 7607), got \"0\"\n"), r.err());
    }

    @Test
    void runExitsOneWhenItCannotListen() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path f = dir.resolve("busy.yaml");
            Files.writeString(f, "router: {asn: 64500, router-id: 198.18.0.1, listen: [\"127.0.0.1:"
                    + taken.getLocalPort() + "\"]}\n");
            Result r = run("run", "--config", f.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().startsWith("ixora run: cannot start: cannot listen for BGP on [127.0.0.1:"
                    + taken.getLocalPort() + "]: "), r.err());
        }
    }

    @Test
    void runRejectsAnUnknownLogLevel() {
        Result r = run("run", "--config", "../conf/ixora.yaml", "--log-level", "loud");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown log level \"loud\""), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exit());
        assertEquals(2, run("frobnicate").exit());
        assertEquals(2, run("check").exit()); // --config is required
        assertEquals(2, run("show", "everything", "--api", "127.0.0.1:1").exit());
    }

    @Test
    void versionPrintsSomething() {
        Result r = run("version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("ixora "), r.out());
    }

    @Test
    void showFailsClearlyWhenNoDaemonListens() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("show", "peers", "--api", "127.0.0.1:" + port);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot reach the API at 127.0.0.1:" + port), r.err());
    }
}
