package dev.ixora.lab.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GoBGP 3 and OpenBGPD 7 in two namespaces: IPv4 and IPv6 sessions, routes with all their attributes. */
class GobgpOpenbgpdTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @Test
    void gobgpAndOpenbgpdExchangeRoutes() throws Exception {
        lab = new TwoNodeLab("go");
        lab.start(new Gobgp(), new Openbgpd());
        lab.assertExchange();
    }
}
