package dev.ixora.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DecisionProcessTest {
    private static final TestPath B = TestPath.base("base");
    private static final DecisionOptions DEF = DecisionOptions.DEFAULTS;
    private static final DecisionOptions ALWAYS_MED = new DecisionOptions(true, false, false, false);
    private static final DecisionOptions MED_WORST = new DecisionOptions(false, false, true, false);
    private static final DecisionOptions OLDER = new DecisionOptions(false, false, false, true);

    /** One case per step: (options, better path, worse path, the step that must decide). */
    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("local-pref", DEF, B.localPref(200), B.localPref(100), BestPathReason.LOCAL_PREF),
                Arguments.of("local-pref beats as-path", DEF, B.localPref(200).asPathLength(9), B, BestPathReason.LOCAL_PREF),
                Arguments.of("as-path length", DEF, B.asPathLength(1), B.asPathLength(3), BestPathReason.AS_PATH_LENGTH),
                Arguments.of("as-path beats origin", DEF, B.asPathLength(1).origin(2), B, BestPathReason.AS_PATH_LENGTH),
                Arguments.of("origin igp < egp", DEF, B.origin(0), B.origin(1), BestPathReason.ORIGIN),
                Arguments.of("origin egp < incomplete", DEF, B.origin(1), B.origin(2), BestPathReason.ORIGIN),
                Arguments.of("med same neighbour AS", DEF, B.med(5), B.med(50), BestPathReason.MED),
                Arguments.of("missing med is 0", DEF, B.med(-1), B.med(1), BestPathReason.MED),
                Arguments.of("missing med as worst", MED_WORST, B.med(0xFFFF_FFFFL), B.med(-1), BestPathReason.MED),
                Arguments.of("med skipped across neighbour AS", DEF,
                        B.neighborAs(64501).med(50).peerRouterId(1), B.med(5).peerRouterId(2), BestPathReason.ROUTER_ID),
                Arguments.of("always-compare-med", ALWAYS_MED,
                        B.neighborAs(64501).med(5).peerRouterId(2), B.med(50).peerRouterId(1), BestPathReason.MED),
                Arguments.of("ebgp over ibgp", DEF, B.ebgp(true), B.ebgp(false), BestPathReason.EBGP_OVER_IBGP),
                Arguments.of("igp cost", DEF, B.igpCost(10), B.igpCost(20), BestPathReason.IGP_COST),
                Arguments.of("older ebgp when enabled", OLDER,
                        B.arrival(1).peerRouterId(9), B.arrival(2).peerRouterId(1), BestPathReason.OLDER_EBGP),
                Arguments.of("older ignored by default", DEF,
                        B.arrival(2).peerRouterId(1), B.arrival(1).peerRouterId(9), BestPathReason.ROUTER_ID),
                Arguments.of("older ignored for ibgp", OLDER,
                        B.ebgp(false).arrival(2).peerRouterId(1), B.ebgp(false).arrival(1).peerRouterId(9), BestPathReason.ROUTER_ID),
                Arguments.of("router id", DEF, B.peerRouterId(1), B.peerRouterId(2), BestPathReason.ROUTER_ID),
                Arguments.of("originator id replaces router id", DEF,
                        B.peerRouterId(9).originatorId(1), B.peerRouterId(2), BestPathReason.ROUTER_ID),
                Arguments.of("cluster list length", DEF, B.clusterListLength(1), B.clusterListLength(2), BestPathReason.CLUSTER_LIST_LENGTH),
                Arguments.of("peer address", DEF, B.peerAddress(198, 18, 0, 1), B.peerAddress(198, 18, 0, 2), BestPathReason.PEER_ADDRESS),
                Arguments.of("peer address unsigned", DEF, B.peerAddress(10, 0, 0, 1), B.peerAddress(200, 0, 0, 1), BestPathReason.PEER_ADDRESS),
                Arguments.of("path id", DEF, B.pathId(1), B.pathId(2), BestPathReason.PATH_ID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void eachStepDecidesInBothOrders(String name, DecisionOptions options, TestPath better, TestPath worse,
                                     BestPathReason reason) {
        DecisionProcess dp = new DecisionProcess(options);
        assertEquals(new Decision(reason, true), dp.compare(better, worse), "better first");
        assertEquals(new Decision(reason, false), dp.compare(worse, better), "better second");
        assertEquals(1, dp.best(new PathView[] {worse, better}, 2));
        assertEquals(0, dp.best(new PathView[] {better, worse}, 2));
    }

    @Test
    void aGenuineTieIsABug() {
        DecisionProcess dp = new DecisionProcess(DEF);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dp.compare(B, B.named("twin")));
        assertTrue(e.getMessage().contains("a politician in the decision process"));
    }

    @Test
    void explainNamesTheStepAgainstTheRunnerUp() {
        DecisionProcess dp = new DecisionProcess(DEF);
        PathView[] paths = {B.asPathLength(5).named("long"), B.localPref(300).named("lp"), B.asPathLength(1).named("short")};
        assertEquals(1, dp.best(paths, 3));
        assertEquals(BestPathReason.LOCAL_PREF, dp.explain(paths, 3, 1));
        assertEquals(BestPathReason.ONLY_PATH, dp.explain(paths, 1, 0));
    }

    /**
     * The classic MED cycle: A (AS1, med 10) beats B (AS1, med 20) on MED, B beats C (AS2) on router
     * id, C beats A on router id. Only deterministic MED gives one answer for every order.
     */
    @Test
    void deterministicMedGivesTheSameWinnerForEveryOrder() {
        TestPath a = B.named("a").neighborAs(1).med(10).peerRouterId(3).peerAddress(198, 18, 0, 1);
        TestPath b = B.named("b").neighborAs(1).med(20).peerRouterId(1).peerAddress(198, 18, 0, 2);
        TestPath c = B.named("c").neighborAs(2).med(0).peerRouterId(2).peerAddress(198, 18, 0, 3);
        DecisionProcess plain = new DecisionProcess(DEF);
        assertTrue(plain.compare(a, b).firstWins());
        assertTrue(plain.compare(b, c).firstWins());
        assertTrue(plain.compare(c, a).firstWins());

        DecisionProcess det = new DecisionProcess(new DecisionOptions(false, true, false, false));
        for (List<TestPath> order : permutations(List.of(a, b, c))) {
            PathView[] arr = order.toArray(new PathView[0]);
            // a wins its AS group on MED, then loses to c on router id
            assertEquals("c", arr[det.best(arr, arr.length)].toString(), "order " + order);
        }
    }

    @Test
    void everyOrderOfATransitiveSetGivesTheSameWinner() {
        List<TestPath> paths = List.of(
                B.named("p1").peerRouterId(5).peerAddress(198, 18, 0, 5),
                B.named("p2").peerRouterId(4).peerAddress(198, 18, 0, 4).med(20),
                B.named("p3").peerRouterId(3).peerAddress(198, 18, 0, 3).med(20).igpCost(0),
                B.named("p4").peerRouterId(3).peerAddress(198, 18, 0, 2).med(20),
                B.named("p5").asPathLength(3).peerAddress(198, 18, 0, 9));
        for (DecisionOptions o : List.of(DEF, ALWAYS_MED, new DecisionOptions(false, true, false, false))) {
            DecisionProcess dp = new DecisionProcess(o);
            for (List<TestPath> order : permutations(paths)) {
                PathView[] arr = order.toArray(new PathView[0]);
                assertEquals("p1", arr[dp.best(arr, arr.length)].toString(), o + " " + order);
            }
        }
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) return List.of(List.of());
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> p : permutations(rest)) {
                List<T> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }
}
