package dev.ixora.lab.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FRR 8 and GoBGP 3 in two namespaces: IPv4 and IPv6 sessions, routes with all their attributes. */
class FrrGobgpTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @Test
    void frrAndGobgpExchangeRoutes() throws Exception {
        lab = new TwoNodeLab("fg");
        lab.start(new Frr(), new Gobgp());
        lab.assertExchange();
    }
}
