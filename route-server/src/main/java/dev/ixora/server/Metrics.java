package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.conf.Addresses;
import dev.ixora.fsm.SessionState;
import dev.ixora.fsm.SessionStats;
import dev.ixora.rib.Rib;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: a Prometheus collector that reads the daemon's current numbers at scrape
 * time (session counters, the peer status, one RIB read), so nothing on the BGP or RIB hot path
 * touches a metric object. Names, types and labels are documented in docs/operations.md.
 */
final class Metrics extends Collector {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    private static final List<AfiSafi> FAMILIES = List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);
    private static final List<String> PEER = List.of("peer", "address", "asn");
    private static final List<String> PEER_FAMILY = List.of("peer", "address", "asn", "family");

    private final DaemonState state;
    private final Function<String, SessionStats> stats;
    private final CollectorRegistry registry = new CollectorRegistry();

    /** @param stats the session counters of a peer by name, null for a peer without a session */
    Metrics(DaemonState state, Function<String, SessionStats> stats) {
        this.state = state;
        this.stats = stats;
        registry.register(this);
    }

    /** The exposition for an Accept header (text 0.0.4 unless OpenMetrics is asked for): content type, body. */
    String[] scrape(String accept) {
        String type = TextFormat.chooseContentType(accept);
        StringWriter out = new StringWriter();
        try {
            TextFormat.writeFormat(type, out, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not throw
        }
        return new String[] {type, out.toString()};
    }

    /** What one RIB read yields: per-peer path counts by family, and the global numbers. */
    private record RibNumbers(Map<AfiSafi, List<Rib.PathCounts>> counts, long routes, Map<AfiSafi, Integer> prefixes) {}

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily sessionState = new GaugeMetricFamily("ixora_bgp_session_state",
                "1 for the session's current RFC 4271 state, 0 for the others", List.of("peer", "address", "asn", "state"));
        GaugeMetricFamily shutdown = new GaugeMetricFamily("ixora_bgp_peer_admin_shutdown",
                "1 when the peer is shut down in the config (its session is never started)", PEER);
        GaugeMetricFamily uptime = new GaugeMetricFamily("ixora_bgp_session_established_seconds",
                "Seconds since the session became Established, 0 when it is not", PEER);
        CounterMetricFamily transitions = new CounterMetricFamily("ixora_bgp_session_established_transitions_total",
                "Times the session reached Established", PEER);
        CounterMetricFamily msgIn = new CounterMetricFamily("ixora_bgp_messages_received_total",
                "BGP messages received from the peer, all types, all connections", PEER);
        CounterMetricFamily msgOut = new CounterMetricFamily("ixora_bgp_messages_sent_total",
                "BGP messages sent to the peer, all types, all connections", PEER);
        CounterMetricFamily updIn = new CounterMetricFamily("ixora_bgp_updates_received_total",
                "UPDATE messages received from the peer", PEER);
        CounterMetricFamily updOut = new CounterMetricFamily("ixora_bgp_updates_sent_total",
                "UPDATE messages sent to the peer", PEER);
        long now = state.now().toEpochMilli();
        for (PeerStatus p : state.peers()) {
            List<String> labels = peerLabels(p);
            SessionState current = p.state();
            for (SessionState s : SessionState.values()) {
                List<String> l = new ArrayList<>(labels);
                l.add(s.toString());
                sessionState.addMetric(l, s == current ? 1 : 0);
            }
            shutdown.addMetric(labels, p.config.shutdown() ? 1 : 0);
            SessionStats s = p.config.shutdown() ? null : stats.apply(p.config.name());
            if (s == null) s = new SessionStats(0, 0, 0, 0, 0, 0, null, null);
            uptime.addMetric(labels, s.establishedSinceMillis() == 0 ? 0 : Math.max(0, now - s.establishedSinceMillis()) / 1000.0);
            transitions.addMetric(labels, s.establishedTransitions());
            msgIn.addMetric(labels, s.messagesReceived());
            msgOut.addMetric(labels, s.messagesSent());
            updIn.addMetric(labels, s.updatesReceived());
            updOut.addMetric(labels, s.updatesSent());
        }
        List<MetricFamilySamples> out = new ArrayList<>(List.of(sessionState, shutdown, uptime, transitions, msgIn, msgOut,
                updIn, updOut));
        out.addAll(rib());
        out.add(new CounterMetricFamily("ixora_export_updates_encoded_total",
                "UPDATE messages encoded by the export (before sharing)", state.routing.cache().encodes()));
        out.add(new CounterMetricFamily("ixora_export_encodings_shared_total",
                "Export drains served from an encoding made for another client of the same update group",
                state.routing.cache().sharedDrains()));
        out.add(new CounterMetricFamily("ixora_inbound_pauses_total",
                "Times a session stopped reading because too many batches waited for the RIB thread",
                state.routing.pauses.get()));
        GaugeMetricFamily build = new GaugeMetricFamily("ixora_build_info", "Always 1; the version label says which build",
                List.of("version"));
        build.addMetric(List.of(Ixora.version()), 1);
        out.add(build);
        return out;
    }

    /**
     * The RIB numbers, read on the RIB thread ({@link Routing#read}, bounded by its timeout) on the
     * API's thread, never an event loop's. A read that fails leaves the RIB families out and says so
     * in ixora_rib_read_ok, so the session metrics of a busy daemon still reach Prometheus.
     */
    private List<MetricFamilySamples> rib() {
        RibNumbers n;
        try {
            n = state.routing.read(r -> {
                Map<AfiSafi, List<Rib.PathCounts>> counts = new HashMap<>();
                Map<AfiSafi, Integer> prefixes = new HashMap<>();
                for (AfiSafi f : FAMILIES) {
                    counts.put(f, r.pathCounts(f));
                    prefixes.put(f, r.prefixCount(f));
                }
                return new RibNumbers(counts, r.routeCount(), prefixes);
            });
        } catch (IllegalStateException e) {
            LOG.warn("metrics: {}", e.getMessage());
            return List.of(new GaugeMetricFamily("ixora_rib_read_ok", "1 when this scrape read the RIB, else 0", 0));
        }
        GaugeMetricFamily received = new GaugeMetricFamily("ixora_bgp_prefixes_received",
                "Paths held from the peer (Adj-RIB-In, pre-policy: filtered and stale included)", PEER_FAMILY);
        GaugeMetricFamily accepted = new GaugeMetricFamily("ixora_bgp_prefixes_accepted",
                "Paths from the peer eligible for best-path selection (accepted by import policy, next hop resolved)", PEER_FAMILY);
        GaugeMetricFamily filtered = new GaugeMetricFamily("ixora_bgp_prefixes_filtered",
                "Paths from the peer rejected by import policy (kept with their reason)", PEER_FAMILY);
        GaugeMetricFamily stale = new GaugeMetricFamily("ixora_bgp_prefixes_stale",
                "Paths from the peer kept across its graceful restart (RFC 4724)", PEER_FAMILY);
        for (PeerStatus p : state.peers()) {
            int id = state.routing.id(p.config.name());
            for (AfiSafi f : FAMILIES) {
                Rib.PathCounts c = n.counts().get(f).stream().filter(x -> x.peer() == id).findFirst()
                        .orElse(new Rib.PathCounts(id, 0, 0, 0, 0));
                List<String> l = new ArrayList<>(peerLabels(p));
                l.add(f.toString());
                received.addMetric(l, c.received());
                accepted.addMetric(l, c.accepted());
                filtered.addMetric(l, c.filtered());
                stale.addMetric(l, c.stale());
            }
        }
        GaugeMetricFamily prefixes = new GaugeMetricFamily("ixora_rib_prefixes",
                "Prefixes with at least one path (any peer, local routes included)", List.of("family"));
        for (AfiSafi f : FAMILIES) prefixes.addMetric(List.of(f.toString()), n.prefixes().get(f));
        return List.of(received, accepted, filtered, stale,
                new GaugeMetricFamily("ixora_rib_routes", "Paths held, all peers and families (local routes, filtered and stale included)",
                        n.routes()),
                prefixes,
                new GaugeMetricFamily("ixora_rib_read_ok", "1 when this scrape read the RIB, else 0", 1));
    }

    private static List<String> peerLabels(PeerStatus p) {
        return List.of(p.config.name(), Addresses.format(p.config.address()), Long.toString(p.config.asn()));
    }
}
