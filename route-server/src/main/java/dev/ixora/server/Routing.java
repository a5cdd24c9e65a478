package dev.ixora.server;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.Capability;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.AnnounceConfig;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.LargeCommunity;
import dev.ixora.conf.PeerConfig;
import dev.ixora.conf.PolicyAction;
import dev.ixora.fsm.BgpSession;
import dev.ixora.fsm.NegotiatedSession;
import dev.ixora.fsm.SessionEvent;
import dev.ixora.rib.ExportPolicy;
import dev.ixora.rib.ImportPolicy;
import dev.ixora.rib.PeerInfo;
import dev.ixora.rib.Rib;
import dev.ixora.rib.RibEvent;
import dev.ixora.rib.RibExecutor;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's routing: session events in, through the rib (Adj-RIB-In, import policy, decision
 * process, Loc-RIB, route-server views), UPDATEs out to every client (DESIGN.md "The path of a
 * route"). Peer ids are the peers' positions in the config; the daemon's own {@code announce:}
 * routes come from a local pseudo-peer whose id follows the last configured peer.
 *
 * <p>Threads: the event-loop methods ({@link #established}, {@link #received}, {@link #readComplete},
 * {@link #down}) only hand batches to the {@link RibExecutor}; everything else runs on its thread. Reads for the
 * API go through {@link #read}.
 */
final class Routing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

    private final ConfigImage config;
    private final Rib rib = new Rib();
    private final RibExecutor executor = new RibExecutor(rib, "ixora-rib");
    private final Map<String, Integer> ids = new HashMap<>();
    // one instance per peer for the daemon's life: the rib compares policies with equals()
    private final List<ImportPolicy> importPolicies = new ArrayList<>();
    private final List<ExportPolicy> exportPolicies = new ArrayList<>();
    private final int localId;
    private final List<Integer> allIds = new ArrayList<>();
    // RIB thread only
    private final Map<Integer, ClientExport> clients = new HashMap<>();
    private final EncodeCache cache = new EncodeCache();
    /** Peers whose routes are kept stale for a graceful restart (event loops; RFC 4724 section 4.2). */
    private final java.util.Set<Integer> restarting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param exportPolicies the export policy per peer (the config's accept|reject until the policy engine) */
    Routing(ConfigImage config, Function<PeerConfig, ExportPolicy> exportPolicies) {
        this.config = config;
        List<PeerConfig> peers = config.peers();
        for (int i = 0; i < peers.size(); i++) {
            PeerConfig p = peers.get(i);
            ids.put(p.name(), i);
            allIds.add(i);
            // import: reject keeps the routes in the Adj-RIB-In with this reason (DESIGN.md)
            String reason = "import policy: reject (peer " + p.name() + ")";
            ImportPolicy configured = p.importAction() == PolicyAction.ACCEPT ? ImportPolicy.ACCEPT : ImportPolicy.of(reason);
            importPolicies.add(withLoopDetection(config.router().asn(), configured));
            this.exportPolicies.add(exportPolicies.apply(p));
        }
        this.localId = peers.size();
        this.inbound = new Inbound[peers.size()];
        for (int i = 0; i < inbound.length; i++) inbound[i] = new Inbound(i, peers.get(i));
        allIds.add(localId);
        call(r -> {
            r.routeServer().onPending(this::wake);
            return null;
        });
        originate();
    }

    /**
     * RFC 4271 section 9.1.2: a route whose AS_PATH holds our own AS is a loop and is ineligible,
     * whatever the configured policy says. It stays in the Adj-RIB-In with the reason.
     */
    static ImportPolicy withLoopDetection(long ownAsn, ImportPolicy next) {
        String loop = "as-path loop: contains our AS " + ownAsn + " (RFC 4271 section 9.1.2)";
        return new ImportPolicy() {
            // the RIB thread asks once per announcement, and consecutive ones mostly share the set
            private dev.ixora.rib.RouteAttributes last;
            private boolean lastLooped;

            @Override
            public String rejectReason(Prefix prefix, dev.ixora.rib.RouteAttributes attrs) {
                if (attrs != last) {
                    AsPath path = attrs.source().get(AsPath.class).orElse(null);
                    lastLooped = path != null && path.contains(ownAsn);
                    last = attrs;
                }
                return lastLooped ? loop : next.rejectReason(prefix, attrs);
            }

            @Override
            public boolean dependsOnPrefix() {
                return next.dependsOnPrefix();
            }
        };
    }

    Routing(ConfigImage config) {
        this(config, p -> p.exportAction() == PolicyAction.ACCEPT ? ExportPolicy.ACCEPT : ExportPolicy.REJECT);
    }

    /** RFC 4271 section 9.4: the configured {@code announce:} routes enter the Loc-RIB as local routes. */
    private void originate() {
        long asn = config.router().asn();
        long routerId = Integer.toUnsignedLong(ByteBuffer.wrap(config.router().routerId().getAddress()).getInt());
        PeerInfo local = new PeerInfo(localId, config.router().routerId(), asn, routerId, false, false,
                ImportPolicy.ACCEPT, ExportPolicy.REJECT);
        List<RibEvent> batch = new ArrayList<>();
        batch.add(new RibEvent.PeerUp(local));
        for (AnnounceConfig a : config.announce()) {
            List<PathAttribute> attrs = new ArrayList<>();
            attrs.add(PathAttribute.Origin.IGP_ORIGIN);
            long[] path = new long[a.asPathPrepend()];
            Arrays.fill(path, asn);
            attrs.add(AsPath.sequence(path)); // exporting adds one more of our ASN (ExportAttributes)
            a.med().ifPresent(m -> attrs.add(new PathAttribute.Med(m)));
            if (!a.communities().isEmpty()) {
                attrs.add(new PathAttribute.Communities(a.communities().stream().mapToInt(c -> (int) c.value()).toArray()));
            }
            if (!a.largeCommunities().isEmpty()) {
                long[] parts = new long[a.largeCommunities().size() * 3];
                int i = 0;
                for (LargeCommunity l : a.largeCommunities()) {
                    parts[i++] = l.globalAdmin();
                    parts[i++] = l.local1();
                    parts[i++] = l.local2();
                }
                attrs.add(PathAttribute.LargeCommunities.of(parts));
            }
            // no next hop configured: empty, meaning "our address on each session" at export
            byte[] nextHop = a.nextHop().map(InetAddress::getAddress).orElse(new byte[0]);
            Prefix prefix = Prefix.fromBytes(!a.prefix().isIpv4(), a.prefix().address().getAddress(), a.prefix().length());
            batch.add(new RibEvent.Announce(localId, List.of(new Nlri(prefix)),
                    dev.ixora.rib.RouteAttributes.of(new Attributes(attrs), nextHop)));
        }
        submit(batch);
    }

    int id(String peer) {
        Integer id = ids.get(peer);
        return id == null ? -1 : id;
    }

    /** The configured name of a peer id; "local" for the daemon's own routes. */
    String name(int id) {
        return id == localId ? "local" : id >= 0 && id < localId ? config.peers().get(id).name() : null;
    }

    int localId() {
        return localId;
    }

    PeerInfo peerInfo(PeerConfig p, long peerRouterId) {
        int id = id(p.name());
        // the config's import: accept|reject until the policy engine; a rejected route stays in the
        // Adj-RIB-In with this reason (DESIGN.md "filtered routes stay visible")
        return new PeerInfo(id, p.address(), p.asn(), peerRouterId, p.asn() != config.router().asn(), true,
                importPolicies.get(id), exportPolicies.get(id));
    }

    /** The peer joins the rib (its routes can arrive); {@link #established} does this and starts its export. */
    CompletableFuture<Void> peerUp(PeerConfig p, long peerRouterId) {
        flush(inbound(id(p.name())));
        return submit(List.of(new RibEvent.PeerUp(peerInfo(p, peerRouterId))));
    }

    /** Event loop: the session is up; the peer joins the rib, then its export starts with the whole table. */
    void established(PeerConfig p, NegotiatedSession s, BgpSession session) {
        PeerInfo info = peerInfo(p, s.peerRouterId());
        flush(inbound(info.id()));
        InetSocketAddress local = session.localAddress();
        byte[] self4 = null;
        byte[] self6 = null;
        if (local != null && local.getAddress() instanceof Inet4Address a) self4 = a.getAddress();
        if (local != null && local.getAddress() instanceof Inet6Address a) self6 = a.getAddress();
        ExportAttributes.Style style = new ExportAttributes.Style(p.routeServerClient(), config.router().asn(), p.asn(), p.nextHopSelf(),
                self4, self6);
        ClientExport c = new ClientExport(info.id(), p, session, s.codecContext(), s.families(), style, info.exportPolicy());
        List<RibEvent> batch = new ArrayList<>();
        batch.add(new RibEvent.PeerUp(info));
        if (restarting.remove(info.id())) {
            // RFC 4724 section 4.2: back from a restart without Graceful Restart for a family, or
            // without its Forwarding State bit, the stale routes of that family go at once
            Capability.GracefulRestart gr = s.peerGracefulRestart();
            for (dev.ixora.codec.AfiSafi f : List.of(dev.ixora.codec.AfiSafi.IPV4_UNICAST, dev.ixora.codec.AfiSafi.IPV6_UNICAST)) {
                boolean kept = gr != null && gr.families().stream().anyMatch(x -> x.afiSafi().equals(f) && x.forwardingPreserved());
                if (!kept) batch.add(new RibEvent.EndOfRib(info.id(), f));
            }
        }
        submit(batch);
        call(r -> {
            ClientExport old = clients.put(c.id, c);
            if (old != null) old.stop();
            c.start(r, () -> wake(c.id));
            pump(c);
            return null;
        });
    }

    /**
     * An UPDATE (End-of-RIB included: it ends the peer's graceful restart, RFC 4724 section 4.2),
     * queued for the RIB on its own, after what the peer's session held back; the future completes
     * once it is applied (tests and local callers wait for it).
     */
    CompletableFuture<Void> received(PeerConfig p, UpdateMessage update) {
        int id = id(p.name());
        flush(inbound(id));
        CompletableFuture<Void> f = submit(RibEvent.fromUpdate(id, update));
        if (update.isEndOfRib()) logEndOfRib(p, id, update);
        return f;
    }

    /**
     * Event loop: an UPDATE from the peer's {@code session}. Its RIB events join those of the
     * UPDATEs received before it in the same read; they go to the RIB thread as one batch at the
     * end of the read ({@link #readComplete}), every {@link #FLUSH_EVERY} UPDATEs, and before any
     * other event of the peer (its order is kept). Inbound flow control, per batch: when more than
     * {@link #PAUSE_AT} UPDATEs wait for the RIB thread, the session stops reading (its TCP window
     * closes, the peer waits) until the RIB is down to {@link #RESUME_AT}. Memory for decoded
     * UPDATEs stays bounded however fast peers send.
     */
    void received(PeerConfig p, UpdateMessage update, BgpSession session) {
        Inbound in = lastInbound; // the peer of the previous UPDATE, most often
        if (in == null || in.config != p) {
            in = inbound(id(p.name()));
            if (in == null) { // not a configured peer: the rib refuses it, as it always did
                received(p, update);
                return;
            }
            lastInbound = in;
        }
        in.session = session;
        RibEvent.fromUpdate(in.id, update, in.events);
        boolean endOfRib = update.isEndOfRib();
        if (++in.updates >= FLUSH_EVERY || endOfRib) flush(in);
        if (endOfRib) logEndOfRib(p, in.id, update);
    }

    /** Event loop: the end of a read from the peer's connection; what its UPDATEs gave goes to the RIB thread. */
    void readComplete(String peer) {
        flush(inbound(id(peer)));
    }

    private void logEndOfRib(PeerConfig p, int id, UpdateMessage update) {
        dev.ixora.codec.AfiSafi family = update.endOfRibFamily().get();
        call(r -> {
            LOG.info("peer={} as={} end-of-rib {} prefixes={}", p.name(), p.asn(), family, r.adjRibIn(id, family).size());
            return null;
        });
    }

    /** At most this many UPDATEs of one read wait for its end before they go to the RIB thread. */
    static final int FLUSH_EVERY = 64;

    /**
     * What one peer's session received and has not handed to the RIB thread yet. Only the peer's
     * event loop touches it (and callers of {@link #received(PeerConfig, UpdateMessage)}, which flush it).
     */
    private static final class Inbound {
        final int id;
        final PeerConfig config;
        List<RibEvent> events = new ArrayList<>(FLUSH_EVERY);
        int updates;
        BgpSession session;

        Inbound(int id, PeerConfig config) {
            this.id = id;
            this.config = config;
        }
    }

    /** Per configured peer id. */
    private final Inbound[] inbound;
    /**
     * The Inbound the last session UPDATE used. Event loops of different peers race on it, which
     * only costs a lookup: it is compared by its final {@code config} before it is used.
     */
    private Inbound lastInbound;

    /** The peer's, null for an id that is no configured peer's. */
    private Inbound inbound(int id) {
        return id >= 0 && id < inbound.length ? inbound[id] : null;
    }

    /** Hands the peer's held-back events to the RIB thread as one batch, weighing its UPDATEs; pauses reading when behind. */
    private void flush(Inbound in) {
        if (in == null) return;
        int updates = in.updates;
        if (updates == 0) return;
        List<RibEvent> batch = in.events;
        in.events = new ArrayList<>(FLUSH_EVERY);
        in.updates = 0;
        if (batch.isEmpty()) return; // UPDATEs that stood for no event (an empty treat-as-withdraw)
        try {
            executor.offer(batch, updates); // the hot path: no future, one batch per read
        } catch (RejectedExecutionException closed) {
            return;
        }
        BgpSession session = in.session;
        if (session != null && executor.pendingBatches() > pauseAt && paused.add(session)) {
            session.setAutoRead(false);
            pauses.incrementAndGet();
            call(r -> { // runs after this batch
                resumeWhenCaughtUp();
                return null;
            });
        }
    }

    static final int PAUSE_AT = 128;
    static final int RESUME_AT = 32;
    /** {@link #PAUSE_AT}; tests lower it to exercise pausing. */
    volatile int pauseAt = PAUSE_AT;
    /** How often a session was paused (API: status.inbound_pauses). */
    final java.util.concurrent.atomic.AtomicLong pauses = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<BgpSession> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** RIB thread, after a batch: resume paused sessions once the queue is short, else look again later. */
    private void resumeWhenCaughtUp() {
        if (executor.pendingBatches() > Math.min(RESUME_AT, pauseAt)) {
            call(r -> {
                resumeWhenCaughtUp();
                return null;
            });
            return;
        }
        for (BgpSession s : paused) {
            paused.remove(s);
            s.setAutoRead(true);
        }
    }

    /**
     * Event loop: the session left Established. RFC 4724 section 4.2 (helper mode): when the peer
     * had advertised Graceful Restart for at least one family and the session ended without a
     * NOTIFICATION (a lost connection), its routes stay, stale, until it is back and sends
     * End-of-RIB or its restart time runs out. Otherwise (RFC 4271 section 8.2.2) every route it
     * sent goes, everywhere.
     */
    CompletableFuture<Void> down(PeerConfig p, NegotiatedSession last, SessionEvent.Down d) {
        int id = id(p.name());
        flush(inbound(id)); // the routes of its last read go before the session's end
        Capability.GracefulRestart gr = last == null ? null : last.peerGracefulRestart();
        boolean helper = gr != null && !gr.families().isEmpty() && d.notification() == null;
        call(r -> {
            ClientExport c = clients.remove(id);
            if (c != null) c.stop();
            return null;
        });
        if (last == null) return CompletableFuture.completedFuture(null); // never Established: the rib does not know it
        if (helper) restarting.add(id);
        else restarting.remove(id);
        if (helper) LOG.info("peer={} as={} graceful restart: routes kept stale for up to {} s", p.name(), p.asn(), gr.restartTime());
        return submit(List.of(new RibEvent.PeerDown(id, helper, helper ? gr.restartTime() : 0)));
    }

    /** RIB thread: the client is owed something; pump it unless a pump is already queued. */
    private void wake(int clientId) {
        ClientExport c = clients.get(clientId);
        if (c == null || c.pumpQueued) return;
        c.pumpQueued = true;
        call(r -> {
            if (c.pumpQueued) pump(c);
            return null;
        });
    }

    /** Rounds per pump task; then the task ends and, if more is owed, queues another. */
    static final int ROUNDS = 8;

    /**
     * RIB thread: writes what {@code c} is owed, together with every other woken client of its
     * update group, round by round in turn: clients that are level drain the same changes between
     * two RIB batches, so they share the encoded chunks (EncodeCache keeps the most recent ones).
     * Each client's rounds go to its channel as one write, at the end.
     */
    private void pump(ClientExport c) {
        List<ClientExport> members = new ArrayList<>();
        members.add(c);
        int group = rib.routeServer().groupOf(c.id);
        if (group >= 0) {
            for (ClientExport o : clients.values()) {
                if (o != c && o.pumpQueued && rib.routeServer().groupOf(o.id) == group) members.add(o);
            }
        }
        members.removeIf(m -> clients.get(m.id) != m);
        for (ClientExport m : members) m.pumpQueued = false;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                boolean any = false;
                for (ClientExport m : members) any |= m.round(rib, cache, localId);
                if (!any) break;
            }
        } finally { // also when a round failed: what the others queued goes out, and they are pumped again
            for (ClientExport m : members) {
                boolean firstEor = !m.endOfRibSent();
                if (m.finish(rib)) wake(m.id);
                if (firstEor && m.endOfRibSent()) {
                    LOG.info("peer={} as={} initial table sent, end-of-rib for {} ({} UPDATEs)", m.config.name(), m.config.asn(),
                            m.families, m.updatesSent);
                }
            }
        }
    }

    /** Any thread: the client's channel writability changed (BgpSession.onWritabilityChanged). */
    void writable(String peer) {
        int id = id(peer);
        if (id < 0) return;
        call(r -> {
            if (clients.containsKey(id)) wake(id);
            return null;
        });
    }

    /** Queues a batch; after {@link #close} (sessions still saying goodbye) it is dropped. */
    private CompletableFuture<Void> submit(List<? extends RibEvent> batch) {
        try {
            return logged(executor.submit(batch));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private <T> CompletableFuture<T> call(Function<Rib, T> task) {
        try {
            return logged(executor.call(task));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> CompletableFuture<T> logged(CompletableFuture<T> f) {
        f.whenComplete((v, e) -> {
            if (e != null) LOG.error("rib task failed", e);
        });
        return f;
    }

    /** Runs a read on the RIB thread (a consistent snapshot), waiting at most 10 s. */
    <T> T read(Function<Rib, T> reader) {
        try {
            return call(reader).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("rib read failed: " + e, e);
        }
    }

    /** The export state of a connected client, or null (RIB thread). */
    ClientExport client(int id) {
        return clients.get(id);
    }

    /** Ids of every configured peer and of the local pseudo-peer. */
    List<Integer> allIds() {
        return allIds;
    }

    EncodeCache cache() {
        return cache;
    }

    /** Waits until every batch submitted so far is applied (tests). */
    void sync() {
        read(r -> null);
    }

    @Override
    public void close() {
        try {
            call(r -> {
                long sent = 0;
                for (ClientExport c : clients.values()) sent += c.updatesSent;
                LOG.info("export: {} UPDATEs encoded, {} chunks shared, {} UPDATEs sent to the clients still up",
                        cache.encodes(), cache.sharedDrains(), sent);
                for (ClientExport c : clients.values()) c.stop();
                clients.clear();
                cache.clear();
                return null;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("rib did not stop cleanly: {}", e.toString());
        }
        executor.close();
    }
}
