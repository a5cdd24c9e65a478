package dev.ixora.lab.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpenBGPD 7 and ExaBGP 4 in two namespaces: IPv4 and IPv6 sessions, routes with all their attributes. */
class OpenbgpdExabgpTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @Test
    void openbgpdAndExabgpExchangeRoutes() throws Exception {
        lab = new TwoNodeLab("oe");
        lab.start(new Openbgpd(), new Exabgp());
        lab.assertExchange();
    }
}
