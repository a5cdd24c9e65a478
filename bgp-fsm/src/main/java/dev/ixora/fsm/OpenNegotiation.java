package dev.ixora.fsm;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.BgpError;
import dev.ixora.codec.Capability;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a received OPEN against our settings (RFC 4271 section 6.2) and computes what the session
 * negotiated. Pure: the result is either a {@link NegotiatedSession} or the NOTIFICATION to send.
 */
public final class OpenNegotiation {
    // RFC 4271 section 6.2, RFC 5492 section 5, RFC 9234 section 4.2: OPEN Message Error subcodes
    public static final int UNSUPPORTED_VERSION = 1;
    public static final int BAD_PEER_AS = 2;
    public static final int BAD_BGP_IDENTIFIER = 3;
    public static final int UNACCEPTABLE_HOLD_TIME = 6;
    public static final int UNSUPPORTED_CAPABILITY = 7;
    public static final int ROLE_MISMATCH = 11;

    /** Either the negotiated session or the NOTIFICATION that rejects the OPEN. */
    public sealed interface Result {
        record Accepted(NegotiatedSession session) implements Result {}

        record Rejected(NotificationMessage notification, String reason) implements Result {}
    }

    private OpenNegotiation() {}

    public static Result negotiate(PeerSettings local, OpenMessage sent, OpenMessage received) {
        // RFC 4271 section 6.2: version other than 4 -> Unsupported Version Number, data = our version.
        if (received.version() != 4) {
            return reject(UNSUPPORTED_VERSION, new byte[] {0, 4}, "peer speaks BGP version " + received.version());
        }
        // RFC 6793 section 4.1: the peer's ASN is the 4-octet AS capability when present.
        if (received.asn() != local.remoteAsn()) {
            return reject(BAD_PEER_AS, null, "peer AS " + received.asn() + ", configured " + local.remoteAsn());
        }
        // RFC 4271 section 6.2: a Hold Time of one or two seconds is unacceptable.
        if (received.holdTime() == 1 || received.holdTime() == 2) {
            return reject(UNACCEPTABLE_HOLD_TIME, null, "hold time " + received.holdTime());
        }
        // RFC 6286 section 2.2: zero is never valid; our own identifier only from an external peer.
        if (received.bgpId() == 0 || (local.isInternal() && received.bgpId() == local.routerId())) {
            return reject(BAD_BGP_IDENTIFIER, null, "BGP identifier " + routerIdString(received.bgpId()));
        }
        byte[] missing = missingRequired(local, sent, received);
        if (missing.length > 0) {
            // RFC 5492 section 3: Unsupported Capability lists the capabilities we need.
            return reject(UNSUPPORTED_CAPABILITY, missing, "peer lacks required capabilities " + local.requiredCapabilities());
        }
        Integer peerRole = received.capability(Capability.Role.class).map(Capability.Role::role).orElse(null);
        if (local.role() != null && peerRole != null && !rolesMatch(local.role(), peerRole)) {
            return reject(ROLE_MISMATCH, null, "role " + local.role() + " vs peer role " + peerRole);
        }
        return new Result.Accepted(session(local, sent, received, peerRole));
    }

    private static NegotiatedSession session(PeerSettings local, OpenMessage sent, OpenMessage received,
            Integer peerRole) {
        // RFC 4271 section 4.2: the smaller of the two hold times; 0 means no keepalives.
        int hold = Math.min(sent.holdTime(), received.holdTime());
        int keepalive = hold / 3;
        Set<AfiSafi> theirs = new HashSet<>();
        received.capabilities(Capability.Multiprotocol.class).forEach(mp -> theirs.add(mp.afiSafi()));
        // RFC 4760 section 8: a peer without Multiprotocol capabilities speaks IPv4 unicast only.
        if (theirs.isEmpty()) theirs.add(AfiSafi.IPV4_UNICAST);
        Set<AfiSafi> families = new HashSet<>(local.families());
        families.retainAll(theirs);
        Set<AfiSafi> apReceive = new HashSet<>();
        Set<AfiSafi> apSend = new HashSet<>();
        for (Capability.AddPath ap : received.capabilities(Capability.AddPath.class)) {
            for (Capability.AddPath.Family f : ap.families()) {
                if (!families.contains(f.afiSafi())) continue;
                // RFC 7911 section 4: we receive path ids where we can receive and they can send.
                if (f.canSend() && local.addPathReceive().contains(f.afiSafi())) apReceive.add(f.afiSafi());
                if (f.canReceive() && local.addPathSend().contains(f.afiSafi())) apSend.add(f.afiSafi());
            }
        }
        return new NegotiatedSession(
                received.asn(),
                received.bgpId(),
                hold,
                keepalive,
                families,
                both(sent, received, Capability.FourOctetAs.class),
                apReceive,
                apSend,
                both(sent, received, Capability.ExtendedMessage.class),
                both(sent, received, Capability.RouteRefresh.class),
                both(sent, received, Capability.EnhancedRouteRefresh.class),
                received.capability(Capability.GracefulRestart.class).orElse(null),
                peerRole,
                received.capability(Capability.Fqdn.class).orElse(null),
                sent,
                received);
    }

    private static boolean both(OpenMessage a, OpenMessage b, Class<? extends Capability> kind) {
        return a.capability(kind).isPresent() && b.capability(kind).isPresent();
    }

    /** RFC 9234 section 4.2, table 2: the allowed pairs of (local, remote) roles. */
    static boolean rolesMatch(int local, int remote) {
        return switch (local) {
            case Capability.Role.PROVIDER -> remote == Capability.Role.CUSTOMER;
            case Capability.Role.CUSTOMER -> remote == Capability.Role.PROVIDER;
            case Capability.Role.RS -> remote == Capability.Role.RS_CLIENT;
            case Capability.Role.RS_CLIENT -> remote == Capability.Role.RS;
            case Capability.Role.PEER -> remote == Capability.Role.PEER;
            default -> false;
        };
    }

    /** The required capabilities the peer did not send, encoded as code, length, our value. */
    private static byte[] missingRequired(PeerSettings local, OpenMessage sent, OpenMessage received) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int code : new TreeSet<>(local.requiredCapabilities())) {
            if (received.capabilities().stream().anyMatch(c -> c.code() == code)) continue;
            List<Capability> ours = sent.capabilities().stream().filter(c -> c.code() == code).toList();
            if (ours.isEmpty()) {
                writeCapability(out, code, new byte[0]);
            } else {
                for (Capability c : ours) writeCapability(out, code, valueOf(c));
            }
        }
        return out.toByteArray();
    }

    private static void writeCapability(ByteArrayOutputStream out, int code, byte[] value) {
        out.write(code);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** Value bytes of the capabilities simple enough to matter in an Unsupported Capability's data. */
    private static byte[] valueOf(Capability c) {
        if (c instanceof Capability.FourOctetAs f) {
            long a = f.asn();
            return new byte[] {(byte) (a >> 24), (byte) (a >> 16), (byte) (a >> 8), (byte) a};
        }
        if (c instanceof Capability.Multiprotocol mp) {
            // RFC 4760 section 8: AFI (2), reserved (1), SAFI (1).
            AfiSafi f = mp.afiSafi();
            return new byte[] {(byte) (f.afi() >> 8), (byte) f.afi(), 0, (byte) f.safi()};
        }
        if (c instanceof Capability.Role r) return new byte[] {(byte) r.role()};
        if (c instanceof Capability.Unknown u) return u.value();
        return new byte[0];
    }

    private static Result reject(int subcode, byte[] data, String reason) {
        return new Result.Rejected(new NotificationMessage(BgpError.OPEN_MESSAGE_ERROR, subcode, data), reason);
    }

    static String routerIdString(long id) {
        return ((id >> 24) & 0xFF) + "." + ((id >> 16) & 0xFF) + "." + ((id >> 8) & 0xFF) + "." + (id & 0xFF);
    }
}
