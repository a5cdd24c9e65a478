package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.UpdateMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    /**
     * The warm-up is a real route server on loopback: every prefix the two clients announce must
     * reach the third client, be replaced when the best path goes, and be withdrawn at the end.
     */
    @Test
    void everyPrefixGoesThroughTheScratchRouteServerAndBack() {
        assertEquals(4096, WarmUp.run(4096, 60_000));
    }

    @Test
    void theTableIsHalfIpv4HalfIpv6FourPrefixesPerUpdate() {
        List<UpdateMessage> announce = new ArrayList<>();
        List<UpdateMessage> withdraw = new ArrayList<>();
        assertEquals(1000, WarmUp.table(1000, 64601, 0, announce, withdraw));
        assertEquals(250, announce.size());
        assertEquals(250, withdraw.size());
        long v6 = announce.stream().filter(u -> u.announced().get(0).afiSafi().afi() == 2).count();
        assertEquals(125, v6);
        for (UpdateMessage u : announce) assertEquals(4, u.announced().size());
        for (UpdateMessage u : withdraw) assertEquals(4, u.withdrawnAll().size());
    }

    @Test
    void theEnvironmentSwitch() {
        assertTrue(WarmUp.enabled(null));
        assertTrue(WarmUp.enabled(""));
        assertTrue(WarmUp.enabled("1"));
        assertFalse(WarmUp.enabled("0"));
        assertFalse(WarmUp.enabled("off"));
        assertFalse(WarmUp.enabled(" No "));
    }
}
