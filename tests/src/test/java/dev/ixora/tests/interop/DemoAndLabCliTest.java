package dev.ixora.tests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.lab.Lab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it, from the shaded jar: `ixora demo` (with --no-wait, and until
 * SIGTERM) and `ixora lab up|status|exec|down`. Each run leaves no namespace behind.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DemoAndLabCliTest {
    @TempDir
    Path tmp;

    /** A table row of the demo: member, prefix, next hop, AS path, then MED and communities. */
    private static Pattern row(String member, String prefix, String nextHop, String path, String extra) {
        return Pattern.compile("(?m)^\\s+" + member + "\\s+" + Pattern.quote(prefix) + "\\s+" + Pattern.quote(nextHop)
                + "\\s+" + path + "\\s+" + Pattern.quote(extra) + "\\s*$");
    }

    @Test
    void demoPrintsWhatEachMemberSeesAndCleansUp() throws Exception {
        Result r = run(List.of("demo", "--no-wait"), null);
        assertEquals(0, r.exit, r.output);
        // four members with two sessions each, seen from both ends
        assertEquals(16, Pattern.compile("\\sEstablished\\s").matcher(r.output).results().count(), r.output);
        // RFC 7947: the member's AS first and alone (no RS AS), the member's own next hop, communities as sent
        assertTrue(row("bird1", "198.51.100.0/24", "198.18.0.3", "64502", "med 20 64502:200").matcher(r.output).find(), r.output);
        assertTrue(row("frr1", "2001:db8:1001::/48", "2001:db8::2", "64501", "64501:100 64501:1:1").matcher(r.output).find(), r.output);
        assertTrue(row("openbgpd1", "203.0.113.0/24", "198.18.0.2", "64501", "med 0 64501:100").matcher(r.output).find(), r.output);
        assertTrue(row("gobgp1", "100.64.4.0/24", "198.18.0.5", "64504", "64504:400").matcher(r.output).find(), r.output);
        assertTrue(r.output.contains("bin/ixora lab exec demo bird1 -- birdc -s /"), r.output);
        assertTrue(r.output.contains("demo lab removed"), r.output);
        assertNoNamespaces("demo");
    }

    @Test
    void demoStaysUpUntilSigtermThenTearsDown() throws Exception {
        List<String> hints = new ArrayList<>();
        Result r = run(List.of("demo"), "press Ctrl-C", out -> {
            // While the lab is up, every "bin/ixora lab exec demo NODE -- CMD" the demo printed works.
            for (String line : out.lines().toList()) {
                String prefix = "  bin/ixora lab exec demo ";
                if (!line.startsWith(prefix)) continue;
                String rest = line.substring(prefix.length()).replaceAll("\\s{3,}\\(.*$", "");
                Process p = new ProcessBuilder("sh", "-c", java() + " -jar " + InteropLab.requireJar() + " lab exec demo " + rest)
                        .redirectErrorStream(true).start();
                String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                hints.add(rest + " -> exit " + p.waitFor() + ", " + got.length() + " chars");
                assertEquals(0, p.exitValue(), rest + ":\n" + got);
                assertTrue(got.contains("64501") || got.contains("64502"), rest + " shows no member's routes:\n" + got);
                // the route server's /metrics: its members' sessions are up
                assertTrue(!rest.contains("/metrics") || got.contains("state=\"Established\",} 1.0"), rest + ":\n" + got);
            }
        });
        assertEquals(0, r.exit, "exit after SIGTERM\n" + r.output);
        assertEquals(6, hints.size(), "one CLI hint per node and the route server's metrics: " + hints + "\n" + r.output);
        assertTrue(r.output.contains("ROUTES"), r.output);
        assertTrue(r.output.contains("demo lab removed"), r.output);
        assertNoNamespaces("demo");
    }

    @Test
    void labUpStatusExecDown() throws Exception {
        Path topo = tmp.resolve("cli.yaml");
        Files.writeString(topo, """
                lab: iocli
                lans: [{name: lan, ipv4: 198.18.0.0/24}]
                nodes:
                  - {name: bird1, kind: bird, asn: 64501, lans: [lan], neighbors: [gobgp1], announce: ["100.64.1.0/24"]}
                  - {name: gobgp1, kind: gobgp, asn: 64503, lans: [lan], neighbors: [bird1]}
                """);
        Lab.downByName("iocli");
        try {
            Result up = run(List.of("lab", "up", topo.toString()), null);
            assertEquals(0, up.exit, up.output);
            assertTrue(up.output.contains("lab iocli is up"), up.output);
            Result status = null;
            for (int i = 0; i < 60; i++) {
                status = run(List.of("lab", "status", topo.toString()), null);
                if (Pattern.compile("(?m)^bird1 .*1/1 up").matcher(status.output).find()
                        && Pattern.compile("(?m)^gobgp1 .*1/1 up").matcher(status.output).find()) break;
                Thread.sleep(1000);
            }
            assertTrue(Pattern.compile("(?m)^gobgp1 .*1/1 up").matcher(status.output).find(), status.output);
            // under each node, its sessions as its own daemon reports them
            assertTrue(Pattern.compile("(?m)^gobgp1 .*\\n  session 198\\.18\\.0\\.1 +Established +1 prefixes received$")
                    .matcher(status.output).find(), status.output);
            assertTrue(Pattern.compile("(?m)^bird1 .*\\n  session 198\\.18\\.0\\.2 +Established").matcher(status.output).find(),
                    status.output);
            Result exec = run(List.of("lab", "exec", topo.toString(), "bird1", "--", "ip", "-4", "addr", "show", "eth0"), null);
            assertEquals(0, exec.exit, exec.output);
            assertTrue(exec.output.contains("198.18.0.1/24"), exec.output);
            Result bad = run(List.of("lab", "exec", topo.toString(), "nosuchnode", "--", "true"), null);
            assertEquals(1, bad.exit, bad.output);
            assertTrue(bad.output.contains("no node \"nosuchnode\""), bad.output);
            Result down = run(List.of("lab", "down", topo.toString()), null);
            assertEquals(0, down.exit, down.output);
            assertTrue(down.output.contains("lab iocli is down"), down.output);
            assertNoNamespaces("iocli");
            // logs are kept per node after down (docs/lab.md)
            Path birdLog = dev.ixora.lab.LabCommands.runRoot().resolve("iocli/bird1/log/daemon.log");
            assertTrue(Files.exists(birdLog) && Files.size(birdLog) > 0, birdLog + " kept after down");
        } finally {
            Lab.downByName("iocli");
        }
    }

    record Result(int exit, String output) {
    }

    /**
     * Runs `java -jar ixora.jar ARGS` and returns its exit code and output (stdout and stderr).
     * With untilLine, sends SIGTERM once a line containing it appears.
     */
    private static Result run(List<String> args, String untilLine) throws Exception {
        return run(args, untilLine, out -> { });
    }

    interface WhileUp {
        void accept(String outputSoFar) throws Exception;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** As {@link #run(List, String)}, running whileUp with the output so far before sending SIGTERM. */
    private static Result run(List<String> args, String untilLine, WhileUp whileUp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(),
                "-jar", InteropLab.requireJar().toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Exception failed = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.append(line).append('\n');
                // SIGTERM, through the handle: Process.destroy() would also close the output we still read
                if (untilLine != null && line.contains(untilLine)) {
                    try {
                        whileUp.accept(out.toString());
                    } catch (Exception | AssertionError e) {
                        failed = e instanceof Exception x ? x : new Exception(e);
                    } finally {
                        p.toHandle().destroy();
                    }
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ixora " + args + " did not exit; output:\n" + out);
        }
        if (failed != null) throw new AssertionError(failed.getMessage() + "\noutput:\n" + out, failed);
        return new Result(p.exitValue(), out.toString());
    }

    private static void assertNoNamespaces(String lab) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertTrue(list.lines().noneMatch(l -> l.startsWith(lab + "-")), "namespaces left: " + list);
    }
}
