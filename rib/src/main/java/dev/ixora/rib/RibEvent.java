package dev.ixora.rib;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Peer events the RIB consumes, in batches, on its own thread. */
public sealed interface RibEvent {
    int peerId();

    /**
     * The events one decoded UPDATE stands for: End-of-RIB (RFC 4724 section 2), withdrawals, then
     * one {@link Announce} per distinct next hop (IPv4 NLRI and MP_REACH NLRI can differ). Built
     * straight from the message's fields: the NLRI lists are the message's own (immutable), and
     * the {@link RouteAttributes} of a decoded attribute set are derived once and kept with it
     * ({@link Attributes#memo}), so a feed whose UPDATEs share attribute sets shares them too.
     */
    static List<RibEvent> fromUpdate(int peerId, UpdateMessage update) {
        List<RibEvent> out = new ArrayList<>(3);
        fromUpdate(peerId, update, out);
        return out;
    }

    /**
     * As {@link #fromUpdate(int, UpdateMessage)}, appended to {@code out}: the UPDATEs of one read
     * can go to the RIB as one batch, one list for all of them. Returns the number of events added.
     */
    static int fromUpdate(int peerId, UpdateMessage update, List<RibEvent> out) {
        List<Nlri> nlri = update.nlri();
        List<Nlri> withdrawn = update.withdrawn();
        List<PathAttribute> attributes = update.attributes();
        PathAttribute.MpReach reach = null;
        boolean unreach = false;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            PathAttribute a = attributes.get(i);
            if (a instanceof PathAttribute.MpReach r) reach = r;
            else if (a instanceof PathAttribute.MpUnreach) unreach = true;
        }
        boolean noNlri = nlri.isEmpty();
        if (noNlri && withdrawn.isEmpty()) {
            Optional<AfiSafi> eor = update.endOfRibFamily();
            if (eor.isPresent()) {
                out.add(new EndOfRib(peerId, eor.get()));
                return 1;
            }
        }
        if (unreach) {
            List<UpdateMessage.Withdrawn> all = update.withdrawnAll();
            List<Nlri> w = new ArrayList<>(all.size());
            for (UpdateMessage.Withdrawn x : all) w.add(x.nlri());
            withdrawn = w;
        }
        boolean mp = reach != null && !reach.nlri().isEmpty();
        boolean withdraws = !withdrawn.isEmpty();
        if (noNlri && !mp) {
            if (!withdraws) return 0;
            out.add(new Withdraw(peerId, withdrawn));
            return 1;
        }
        Attributes attrs = update.pathAttributes();
        int added = 0;
        if (withdraws) {
            out.add(new Withdraw(peerId, withdrawn));
            added++;
        }
        RouteAttributes v4 = noNlri ? null : ipv4Attributes(attrs);
        if (mp) {
            byte[] nh = reach.nextHop();
            if (v4 != null && Arrays.equals(v4.nextHopUnsafe(), nh)) {
                // one next hop for both: one Announce, IPv4 NLRI first
                List<Nlri> both = new ArrayList<>(nlri.size() + reach.nlri().size());
                both.addAll(nlri);
                both.addAll(reach.nlri());
                out.add(new Announce(peerId, both, v4));
                return added + 1;
            }
            if (v4 != null) {
                out.add(new Announce(peerId, nlri, v4));
                added++;
            }
            out.add(new Announce(peerId, reach.nlri(), mpAttributes(attrs, nh)));
            return added + 1;
        }
        out.add(new Announce(peerId, nlri, v4));
        return added + 1;
    }

    /** {@link RouteAttributes#of} for IPv4 NLRI (next hop: NEXT_HOP, none when absent), kept with {@code attrs}. */
    private static RouteAttributes ipv4Attributes(Attributes attrs) {
        RouteAttributes.Memo m = attrs.memo() instanceof RouteAttributes.Memo x && x.source() == attrs ? x : null;
        if (m != null && m.ipv4() != null) return m.ipv4();
        PathAttribute.NextHop n = attrs.nextHop();
        RouteAttributes r = RouteAttributes.of(attrs, n == null ? new byte[0] : n.bytes());
        attrs.memo(new RouteAttributes.Memo(attrs, r, m == null ? null : m.mp()));
        return r;
    }

    /** {@link RouteAttributes#of} for MP_REACH NLRI with next hop {@code nh}, the last one kept with {@code attrs}. */
    private static RouteAttributes mpAttributes(Attributes attrs, byte[] nh) {
        RouteAttributes.Memo m = attrs.memo() instanceof RouteAttributes.Memo x && x.source() == attrs ? x : null;
        if (m != null && m.mp() != null && Arrays.equals(m.mp().nextHopUnsafe(), nh)) return m.mp();
        RouteAttributes r = RouteAttributes.of(attrs, nh);
        attrs.memo(new RouteAttributes.Memo(attrs, m == null ? null : m.ipv4(), r));
        return r;
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
