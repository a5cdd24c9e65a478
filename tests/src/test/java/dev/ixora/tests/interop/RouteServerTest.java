package dev.ixora.tests.interop;

import static dev.ixora.tests.interop.InteropLab.hasPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.lab.LabNode;
import dev.ixora.lab.daemon.RouteInfo;
import dev.ixora.lab.daemon.SessionInfo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario b: Ixora as route server for BIRD, FRR, GoBGP, OpenBGPD and ExaBGP clients together,
 * IPv4 and IPv6 (topologies/routeserver.yaml). RFC 7947 §2.2: the route server does not prepend
 * its AS; NEXT_HOP, MED and communities pass unchanged; a route never goes back to the client it
 * came from. Then a withdrawal, a client going away, and the same client coming back. The methods
 * run in order on one lab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RouteServerTest {
    static final List<String> CLIENTS = List.of("bird1", "frr1", "gobgp1", "openbgpd1", "exabgp1");
    static final long RS_AS = 64500;

    private InteropLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = InteropLab.up("routeserver");
    }

    @AfterAll
    void down() throws Exception {
        if (lab != null) lab.close();
    }

    @Test
    @Order(1)
    void sessionsEstablished() {
        lab.awaitEstablished();
        lab.check("rs: ten sessions", () -> {
            List<SessionInfo> rs = lab.lab().sessions("rs");
            assertEquals(CLIENTS.size() * 2, rs.stream().filter(SessionInfo::established).count(), "rs: " + rs);
        });
    }

    /**
     * Each client sees the other four clients' eight routes exactly as they were sent: first AS the
     * originating member (the RS's AS absent), next hop the member's address, MED, communities and
     * large communities unchanged (expected/rs-CLIENT.txt), and none of its own.
     */
    @Test
    @Order(2)
    void eachClientReceivesTheOthersRoutesUnchanged() {
        for (String c : CLIENTS) lab.assertRoutes(c, "rs-" + c, (CLIENTS.size() - 1) * 2);
        for (String c : CLIENTS) {
            lab.check(c + ": no route carries the route server's AS", () -> {
                List<String> withRs = InteropLab.normalised(lab.lab().routes(c), r -> r.asPath().contains(RS_AS));
                assertEquals(List.of(), withRs);
            });
        }
    }

    /** What the route server received from each client (its Adj-RIB-In): the ten routes. */
    @Test
    @Order(3)
    void routeServerReceivedEveryClientsRoutes() {
        lab.assertRoutes("rs", "rs-rs", CLIENTS.size() * 2);
    }

    /** A failing step says what every node saw: its sessions, its routes and its log tail. */
    @Test
    @Order(3)
    void aFailedCheckCarriesEachNodesViewAndLogTail() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> lab.check("a deliberate failure", () -> {
                    throw new IOException("boom");
                }));
        String m = e.getMessage();
        lab.check("diagnostics of a failed step", () -> {
            assertTrue(m.startsWith("a deliberate failure: boom\n==== lab iors"), m);
            for (String node : List.of("rs", "bird1", "frr1", "gobgp1", "openbgpd1", "exabgp1")) {
                assertTrue(m.contains("\n--- " + node + " ("), node + " missing:\n" + m);
            }
            assertTrue(m.contains("  session SessionInfo[neighborAddress=198.18.0.1, state=Established"), m);
            assertTrue(m.contains("  route 100.64.2.0/24 via 198.18.0.3 path [64502]"), m);
            assertEquals(6, m.split("  log tail:\n", -1).length - 1, m);
        });
    }

    /** GoBGP withdraws its IPv4 prefix from its CLI: it disappears from every other client; the IPv6 one stays. */
    @Test
    @Order(4)
    void aWithdrawnRouteDisappearsFromAllClients() {
        LabNode gobgp = lab.node("gobgp1");
        lab.check("gobgp global rib del", () -> gobgp.run("gobgp", "--target",
                "unix://" + gobgp.workDir().resolve("gobgp/gobgp.sock"), "global", "rib", "-a", "ipv4", "del", "100.64.3.0/24"));
        for (String c : others("gobgp1")) {
            lab.awaitRoutes(c, "100.64.3.0/24 withdrawn, 2001:db8:f003::/48 kept",
                    r -> !hasPrefix(r, "100.64.3.0/24") && hasPrefix(r, "2001:db8:f003::/48"));
        }
    }

    /** BIRD stops (its sessions drop without a word): the route server removes its routes from everyone else. */
    @Test
    @Order(5)
    void aClientThatGoesAwayHasItsRoutesRemoved() {
        lab.node("bird1").stopDaemon();
        for (String c : others("bird1")) {
            lab.awaitRoutes(c, "bird1's routes gone", r -> !hasPrefix(r, "100.64.1.0/24") && !hasPrefix(r, "2001:db8:f001::/48"));
        }
    }

    /** BIRD starts again with the same config: its sessions come back, its routes reappear everywhere, it learns the others'. */
    @Test
    @Order(6)
    void aRestartedClientComesBack() {
        lab.check("restart bird1", () -> lab.node("bird1").restartDaemon());
        lab.awaitEstablished();
        for (String c : others("bird1")) {
            List<RouteInfo> r = lab.awaitRoutes(c, "bird1's routes back",
                    x -> hasPrefix(x, "100.64.1.0/24") && hasPrefix(x, "2001:db8:f001::/48"));
            lab.check(c + ": bird1's route as before", () -> {
                RouteInfo v4 = r.stream().filter(x -> x.prefix().equals("100.64.1.0/24")).findFirst().orElseThrow();
                assertEquals(List.of(64501L), v4.asPath(), c + ": " + v4.normalised());
                assertEquals("198.18.0.2", v4.nextHop(), c + ": " + v4.normalised());
                assertEquals(List.of("64501:1"), v4.communities(), c + ": " + v4.normalised());
            });
        }
        // Everything the others announce, less the prefix GoBGP withdrew.
        lab.awaitRoutes("bird1", "the others' routes, without 100.64.3.0/24",
                r -> r.size() == (CLIENTS.size() - 1) * 2 - 1 && !hasPrefix(r, "100.64.3.0/24"));
    }

    private static List<String> others(String client) {
        return CLIENTS.stream().filter(c -> !c.equals(client)).toList();
    }
}
