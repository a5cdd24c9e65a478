package dev.ixora.rib;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.UpdateMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Peer events the RIB consumes, in batches, on its own thread. */
public sealed interface RibEvent {
    int peerId();

    /**
     * The events one decoded UPDATE stands for: End-of-RIB (RFC 4724 section 2), withdrawals, then
     * one {@link Announce} per distinct next hop (IPv4 NLRI and MP_REACH NLRI can differ).
     */
    static List<RibEvent> fromUpdate(int peerId, UpdateMessage update) {
        List<RibEvent> out = new ArrayList<>(2);
        if (update.endOfRibFamily().isPresent()) {
            out.add(new EndOfRib(peerId, update.endOfRibFamily().get()));
            return out;
        }
        List<Nlri> withdrawn = update.withdrawnAll().stream().map(UpdateMessage.Withdrawn::nlri).toList();
        if (!withdrawn.isEmpty()) out.add(new Withdraw(peerId, withdrawn));
        List<UpdateMessage.Announced> announced = update.announced();
        if (announced.isEmpty()) return out;
        Attributes attrs = update.pathAttributes();
        int from = 0;
        for (int i = 1; i <= announced.size(); i++) {
            if (i == announced.size() || !Arrays.equals(announced.get(i).nextHop(), announced.get(from).nextHop())) {
                List<Nlri> nlri = announced.subList(from, i).stream().map(UpdateMessage.Announced::nlri).toList();
                out.add(new Announce(peerId, nlri, RouteAttributes.of(attrs, announced.get(from).nextHop())));
                from = i;
            }
        }
        return out;
    }

    /** A session reached Established (or its configuration changed while up). */
    record PeerUp(PeerInfo peer) implements RibEvent {
        public PeerUp { Objects.requireNonNull(peer); }
        public int peerId() { return peer.id(); }
    }

    /**
     * A session ended. With {@code gracefulRestart} (RFC 4724 section 4.2, receiving speaker) the
     * peer's paths are kept, marked stale, until it sends End-of-RIB or the restart timer fires;
     * otherwise every path of the peer is withdrawn.
     */
    record PeerDown(int peerId, boolean gracefulRestart, int restartTimeSeconds) implements RibEvent {}

    /** NLRI announced with one attribute set; an existing (prefix, path id) is implicitly withdrawn. */
    record Announce(int peerId, List<Nlri> nlri, RouteAttributes attributes) implements RibEvent {
        public Announce {
            nlri = List.copyOf(nlri);
            Objects.requireNonNull(attributes);
        }
    }

    record Withdraw(int peerId, List<Nlri> nlri) implements RibEvent {
        public Withdraw { nlri = List.copyOf(nlri); }
    }

    /** RFC 4724 section 2: End-of-RIB for one family; stale paths of that family not refreshed go. */
    record EndOfRib(int peerId, AfiSafi family) implements RibEvent {}

    /**
     * The interior routes changed: every path's NEXT_HOP is resolved again (RFC 4271 section 9.1.2:
     * resolvability and cost can change without any UPDATE). Not about one peer: {@code peerId} is -1.
     */
    record NextHopsChanged() implements RibEvent {
        public int peerId() { return -1; }
    }

    /**
     * A timer started in {@code epoch} fired: the restart timer after a graceful PeerDown, or the
     * stale-path timer after the PeerUp that follows it. Paths of the peer still stale are dropped;
     * a timer from an older epoch is ignored.
     */
    record RestartTimerExpired(int peerId, long epoch) implements RibEvent {}
}
