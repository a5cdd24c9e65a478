package dev.ixora.tests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.lab.LabNode;
import dev.ixora.lab.daemon.SessionInfo;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario a (issue 2, "Proof"): Ixora peers directly with BIRD 2, FRR 8, GoBGP 3, OpenBGPD 7 and
 * ExaBGP 4 over IPv4 and IPv6 (topologies/direct.yaml). The methods run in order on one lab:
 * sessions, routes both ways, sessions surviving several hold times, then a clean close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DirectPeeringTest {
    static final List<String> DAEMONS = List.of("bird1", "frr1", "gobgp1", "openbgpd1", "exabgp1");
    static final int HOLD_TIME = 6;
    static final long IXORA_AS = 64500;

    private InteropLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = InteropLab.up("direct");
    }

    @AfterAll
    void down() throws Exception {
        if (lab != null) lab.close();
    }

    @Test
    @Order(1)
    void sessionsEstablishedOnBothSides() {
        lab.awaitEstablished();
        lab.check("Ixora: an IPv4 and an IPv6 session per daemon", () -> {
            List<SessionInfo> ixora = lab.lab().sessions("ixora");
            assertEquals(DAEMONS.size() * 2, ixora.stream().filter(SessionInfo::established).count(), "Ixora: " + ixora);
        });
    }

    /** Ixora's two prefixes, in each daemon's own table: AS path [64500], Ixora's next hop, its MED and communities. */
    @Test
    @Order(2)
    void eachDaemonHasIxorasRoutes() {
        for (String d : DAEMONS) lab.assertRoutes(d, "direct-" + d, 2, r -> r.asPath().equals(List.of(IXORA_AS)));
    }

    /**
     * RFC 4271 §9.1.2: a route whose AS_PATH holds the speaker's own AS is a loop and is excluded
     * from the decision process, so no daemon may receive from Ixora a path with 64500 twice (FRR
     * sends Ixora's routes back to it; ExaBGP does no loop check of its own and shows what it got).
     * Checked after the hold-time wait, when FRR has long sent them.
     */
    @Test
    @Order(5)
    void noDaemonReceivesALoopedPath() {
        for (String d : DAEMONS) {
            lab.check(d + ": AS path loops through " + IXORA_AS, () -> {
                List<String> looped = InteropLab.normalised(lab.lab().routes(d),
                        r -> r.asPath().stream().filter(a -> a == IXORA_AS).count() > 1);
                assertEquals(List.of(), looped, d + " received paths with AS " + IXORA_AS + " twice");
            });
        }
    }

    /** Every daemon's IPv4 and IPv6 prefix in Ixora's Adj-RIB-In, with the daemon's AS and address. */
    @Test
    @Order(3)
    void ixoraHasEachDaemonsRoutes() {
        // Only what each daemon originated (FRR also passes the others' routes back, as it may).
        lab.assertRoutes("ixora", "direct-ixora", DAEMONS.size() * 2, r -> r.asPath().size() == 1);
    }

    /**
     * Hold time 6 s, keepalives every 2 s: after 20 s (more than three hold times) every session
     * is still Established and Ixora's state_since has not moved, so none flapped in between.
     */
    @Test
    @Order(4)
    void sessionsOutliveSeveralHoldTimes() {
        LabNode ixora = lab.node("ixora");
        lab.check("sessions past " + HOLD_TIME + " s hold times", () -> {
            Map<String, Object> before = since(InteropLab.ixoraPeers(ixora));
            assertEquals(DAEMONS.size() * 2, before.size(), "Ixora's peers: " + before);
            Thread.sleep((HOLD_TIME * 3 + 2) * 1000L);
            List<Map<String, Object>> peers = InteropLab.ixoraPeers(ixora);
            for (Map<String, Object> p : peers) assertEquals("Established", p.get("state"), "peer " + p);
            assertEquals(before, since(peers), "a session was re-established in between (state_since moved)");
            for (String d : DAEMONS) {
                List<SessionInfo> s = lab.lab().sessions(d);
                assertTrue(s.size() == 2 && s.stream().allMatch(SessionInfo::established), d + ": " + s);
            }
        });
    }

    /**
     * SIGTERM to Ixora: it closes every session with a NOTIFICATION Cease, subcode 2
     * "Administrative Shutdown" (RFC 4486 §3), and each daemon says so in its own words.
     */
    @Test
    @Order(6)
    void cleanCloseIsACeaseAdministrativeShutdown() throws Exception {
        long exabgpDownsBefore = exabgpDowns();
        lab.node("ixora").stopDaemon();
        // BIRD: `show protocols all` gives "Last error: Received: Administrative shutdown".
        awaitText("bird1", () -> lab.node("bird1").run("birdc", "-s", lab.node("bird1").workDir().resolve("bird.ctl").toString(),
                "show", "protocols", "all"), "Received: Administrative shutdown", 2);
        // FRR: the neighbor's last notification, "Cease/Administrative Shutdown".
        awaitText("frr1", () -> lab.node("frr1").run("vtysh", "--vty_socket", lab.node("frr1").workDir().resolve("frr").toString(),
                "-c", "show bgp neighbors json"), "\"lastErrorCodeSubcode\":\"0602\"", 2);
        // GoBGP and OpenBGPD log the NOTIFICATION they received.
        awaitText("gobgp1", () -> log("gobgp1"), "notification-received code 6\\(cease\\) subcode 2\\(administrative shutdown\\)", 2);
        awaitText("openbgpd1", () -> log("openbgpd1"), "received notification: Cease, administratively down", 2);
        // ExaBGP 4.2.21 logs no NOTIFICATION it receives, and answers this one (well formed:
        // tshark decodes Cease / Administratively Shutdown with the RFC 9003 text) with its own
        // Message Header Error "can not decode update message of type 3". Only its API's
        // "session down" is asserted for it.
        lab.check("exabgp1: both sessions down", () -> {
            for (int i = 0; i < 40 && exabgpDowns() < exabgpDownsBefore + 2; i++) Thread.sleep(500);
            assertTrue(exabgpDowns() >= exabgpDownsBefore + 2, "exabgp1 reported " + (exabgpDowns() - exabgpDownsBefore) + " sessions down");
        });
    }

    /** How many times ExaBGP's API process was told a session went down. */
    private long exabgpDowns() throws java.io.IOException {
        java.nio.file.Path f = lab.node("exabgp1").workDir().resolve("exabgp/received.jsonl");
        return Files.readString(f).lines().filter(l -> l.contains("\"state\": \"down\"")).count();
    }

    private String log(String node) throws java.io.IOException {
        return Files.readString(lab.node(node).daemonLog());
    }

    interface Text {
        String get() throws Exception;
    }

    /** Polls until text matches regex at least times (once per session), for up to 20 s. */
    private void awaitText(String node, Text text, String regex, int times) {
        lab.check(node + ": expected " + times + " x /" + regex + "/", () -> {
            Pattern p = Pattern.compile(regex);
            String last = "";
            for (int i = 0; i < 40; i++) {
                last = text.get();
                if (p.matcher(last).results().count() >= times) return;
                Thread.sleep(500);
            }
            throw new AssertionError(node + " never said /" + regex + "/ " + times + " times; last output:\n" + last);
        });
    }

    private static Map<String, Object> since(List<Map<String, Object>> peers) {
        Map<String, Object> out = new TreeMap<>();
        for (Map<String, Object> p : peers) out.put(String.valueOf(p.get("name")), p.get("state_since"));
        return out;
    }
}
