package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.fsm.BgpSpeaker;
import dev.ixora.fsm.PeerSettings;
import dev.ixora.fsm.SessionEvent;
import dev.ixora.fsm.SpeakerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second, in-process BGP speaker acting as the daemon's neighbor on loopback. It only accepts
 * (passive), records every session event, and on Established sends one IPv4 route and End-of-RIB.
 */
final class Neighbor implements AutoCloseable {
    static final long ASN = 64501;
    static final String ROUTE = "198.51.100.0/24";

    final BgpSpeaker speaker;
    final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();

    /** @param address the neighbor's own loopback address; {@code daemon} is where the daemon listens */
    Neighbor(String address, int port, InetSocketAddress daemon) throws InterruptedException {
        speaker = new BgpSpeaker(new SpeakerSettings(ASN, 0xC6120102L,
                List.of(new InetSocketAddress(Addresses.parse(address), port))), this::onEvent);
        speaker.addPeer(PeerSettings.builder("ixora", daemon.getAddress(), 64500)
                .remotePort(daemon.getPort())
                .localAddress(Addresses.parse(address))
                .passive(true)
                .families(Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST))
                .build());
        speaker.start();
    }

    private void onEvent(SessionEvent e) {
        events.add(e);
        if (e instanceof SessionEvent.Established) {
            UpdateMessage route = UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN,
                    AsPath.sequence(ASN, 65000), PathAttribute.NextHop.parse("127.0.0.2"),
                    new PathAttribute.Communities(new int[] {(int) (ASN << 16) | 7}),
                    new PathAttribute.UnknownAttribute(0xC0, 99, new byte[] {1, 2, 3})), List.of(Nlri.parse(ROUTE)));
            speaker.session("ixora").send(route);
            speaker.session("ixora").send(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
            speaker.session("ixora").send(UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST));
        }
    }

    /** Waits for the first event matching; fails the test after {@code timeout}. */
    <T extends SessionEvent> T await(Class<T> kind, Predicate<T> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SessionEvent e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) throw new AssertionError("no " + kind.getSimpleName() + " within " + timeout);
            if (kind.isInstance(e) && matching.test(kind.cast(e))) return kind.cast(e);
        }
    }

    @Override
    public void close() {
        speaker.shutdown("test over");
    }
}
