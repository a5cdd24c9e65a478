package dev.ixora.lab.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BIRD 2 and FRR 8 in two namespaces: IPv4 and IPv6 sessions, routes with all their attributes. */
class BirdFrrTest {
    private TwoNodeLab lab;

    @AfterEach
    void cleanup() {
        if (lab != null) lab.close();
    }

    @Test
    void birdAndFrrExchangeRoutes() throws Exception {
        lab = new TwoNodeLab("bf");
        lab.start(new Bird(), new Frr());
        lab.assertExchange();
    }
}
