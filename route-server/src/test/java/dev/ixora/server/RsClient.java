package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.fsm.BgpSession;
import dev.ixora.fsm.BgpSpeaker;
import dev.ixora.fsm.PeerSettings;
import dev.ixora.fsm.SessionEvent;
import dev.ixora.fsm.SpeakerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A route-server client on loopback: an in-process {@link BgpSpeaker} that connects to the daemon
 * and keeps what it receives as a table (NLRI with path id -> what came with it), like a real
 * member's Adj-RIB-In.
 */
final class RsClient implements AutoCloseable {
    /** One received route. */
    record Received(Nlri nlri, byte[] nextHop, List<PathAttribute> attributes) {
        <T extends PathAttribute> T attr(Class<T> kind) {
            for (PathAttribute a : attributes) if (kind.isInstance(a)) return kind.cast(a);
            return null;
        }

        PathAttribute.UnknownAttribute unknown(int type) {
            for (PathAttribute a : attributes) {
                if (a instanceof PathAttribute.UnknownAttribute u && u.type() == type) return u;
            }
            return null;
        }
    }

    final String name;
    final long asn;
    final BgpSpeaker speaker;
    final Map<Nlri, Received> table = new ConcurrentHashMap<>();
    final Set<AfiSafi> endOfRib = ConcurrentHashMap.newKeySet();
    final AtomicInteger updates = new AtomicInteger();
    final List<UpdateMessage> log = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile boolean established;

    RsClient(String name, String address, long asn, InetSocketAddress daemon, boolean addPathReceive)
            throws Exception {
        this.name = name;
        this.asn = asn;
        speaker = new BgpSpeaker(new SpeakerSettings(asn, 0x0A000000L | (asn & 0xFFFF),
                List.of(new InetSocketAddress(Addresses.parse(address), DaemonEndToEndTest.freePort(address)))), this::onEvent);
        Set<AfiSafi> families = Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);
        speaker.addPeer(PeerSettings.builder("rs", daemon.getAddress(), 64500)
                .remotePort(daemon.getPort())
                .localAddress(Addresses.parse(address))
                .connectRetrySeconds(1)
                .idleHold(1, 1)
                .families(families)
                .addPathReceive(addPathReceive ? families : Set.of())
                .build());
        speaker.start();
    }

    private void onEvent(SessionEvent e) {
        if (e instanceof SessionEvent.Established) established = true;
        if (e instanceof SessionEvent.Down) {
            established = false;
            table.clear();
            endOfRib.clear();
        }
        if (e instanceof SessionEvent.UpdateReceived u) {
            UpdateMessage m = u.update();
            updates.incrementAndGet();
            log.add(m);
            if (m.endOfRibFamily().isPresent()) {
                endOfRib.add(m.endOfRibFamily().get());
                return;
            }
            for (UpdateMessage.Withdrawn w : m.withdrawnAll()) table.remove(w.nlri());
            List<PathAttribute> attrs = m.pathAttributes().list();
            for (UpdateMessage.Announced a : m.announced()) table.put(a.nlri(), new Received(a.nlri(), a.nextHop(), attrs));
        }
    }

    BgpSession session() {
        return speaker.session("rs");
    }

    void send(UpdateMessage m) {
        if (!session().send(m)) throw new AssertionError(name + ": session not established");
    }

    Received route(String prefix) {
        return table.get(Nlri.parse(prefix));
    }

    /** Waits until the condition holds on this client's table. */
    void await(String what, Predicate<RsClient> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.test(this)) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + ": " + what + " never happened; table ("
                    + table.size() + ") " + table.keySet().stream().limit(20).toList());
            Thread.sleep(20);
        }
    }

    void awaitRoute(String prefix) throws InterruptedException {
        await("route " + prefix, c -> c.route(prefix) != null);
    }

    void awaitGone(String prefix) throws InterruptedException {
        await("withdrawal of " + prefix, c -> c.route(prefix) == null);
    }

    void awaitEstablishedAndEor() throws InterruptedException {
        await("End-of-RIB for both families", c -> c.established && c.endOfRib.size() == 2);
    }

    @Override
    public void close() {
        speaker.shutdown("test over");
    }
}
