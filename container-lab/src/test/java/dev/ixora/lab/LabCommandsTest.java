package dev.ixora.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `ixora lab up` in one process, status/exec/down in others: the lab outlives the process that
 * built it and is found again through its run directory. Needs root.
 */
class LabCommandsTest {
    static final String LAB = "h5cli";
    @TempDir
    static Path tmp;
    static Path topology;

    @BeforeAll
    static void setUp() throws IOException {
        assertEquals("0", Shell.run("id", "-u").strip(), "the lab tests need root");
        Lab.downByName(LAB, LabCommands.runRoot());
        topology = tmp.resolve("h5cli.yaml");
        Files.writeString(topology, """
                lab: h5cli
                lans: [{name: lan}]
                nodes:
                  - {name: a, kind: host, lans: [lan]}
                  - {name: b, kind: host, lans: [lan]}
                """);
    }

    @AfterAll
    static void tearDown() throws IOException {
        Lab.downByName(LAB, LabCommands.runRoot());
    }

    @Test
    void upInAnotherProcessThenStatusExecDown() throws Exception {
        Result up = java("up", topology.toString());
        assertEquals(0, up.exit, up.out);
        assertTrue(up.out.contains("lab h5cli is up (2 nodes"), up.out);
        // the process that built the lab has exited; the nodes still run
        String status = LabCommands.status(topology);
        assertTrue(status.matches("(?s).*\\ba +host +h5cli-a +pid \\d+.*"), status);
        assertTrue(status.contains("198.18.0.2/24"), status);
        Topology t = Topology.load(topology);
        Lab lab = Lab.attach(t, LabCommands.runRoot());
        lab.node("a").run("ping", "-c", "1", "-W", "5", "2001:db8::2");
        assertEquals(0, LabCommands.exec(topology, "b", List.of("ip", "-o", "addr", "show", "dev", "eth0")));
        assertEquals(1, LabCommands.exec(topology, "b", List.of("false")));
        // exec in a separate process, as the CLI does
        Result exec = java("exec", topology.toString(), "a", "cat", "/proc/net/dev");
        assertEquals(0, exec.exit, exec.out);
        assertTrue(exec.out.contains("eth0"), exec.out);
        assertFalse(exec.out.contains("l0n0"), "the node sees its own interfaces, not the switch's");

        Result down = java("down", topology.toString());
        assertEquals(0, down.exit, down.out);
        assertTrue(down.out.contains("lab h5cli is down"), down.out);
        assertFalse(Shell.run("ip", "netns", "list").contains("h5cli-"));
        assertThrows(IOException.class, () -> LabCommands.status(topology), "status of a lab that is down");
        assertTrue(LabCommands.down(topology).contains("nothing (it was not up)"));
    }

    @Test
    void badTopologyExitsTwoWithThePosition() throws Exception {
        Path bad = tmp.resolve("h5bad.yaml");
        Files.writeString(bad, "lab: h5bad\nnodes:\n  - {name: a, kind: hots}\n");
        Result r = java("up", bad.toString());
        assertEquals(2, r.exit, r.out);
        assertTrue(r.out.contains("h5bad.yaml:3:21: unknown node kind \"hots\""), r.out);
    }

    record Result(int exit, String out) {
    }

    static Result java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LabCommands.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
