package dev.ixora.lab.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ExaBGP 4 and BIRD 2 in two namespaces: IPv4 and IPv6 sessions, routes with all their attributes. */
class ExabgpBirdTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @Test
    void exabgpAndBirdExchangeRoutes() throws Exception {
        lab = new TwoNodeLab("eb");
        lab.start(new Exabgp(), new Bird());
        lab.assertExchange();
    }
}
