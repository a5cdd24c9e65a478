package dev.ixora.fsm;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.Capability;
import dev.ixora.codec.OpenMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One configured BGP neighbor. {@code localAsn} and {@code routerId} of 0 mean "the speaker's"
 * (see {@link BgpSpeaker#addPeer}). {@code localAddress} (nullable) binds outgoing connections and
 * restricts which incoming ones match; {@code localPort} (0 = any) restricts incoming ones to the
 * listen port they arrived on. {@code gracefulRestartTime} below 0 means no Graceful Restart
 * capability; 0 or more advertises it as a helper (RFC 4724 section 3, no families). {@code role}
 * is the RFC 9234 role code or null; {@code requiredCapabilities} are capability codes the peer must
 * send. Route refresh, enhanced route refresh and 4-octet AS are always advertised.
 */
public record PeerSettings(
        String name,
        InetAddress remoteAddress,
        int remotePort,
        InetAddress localAddress,
        int localPort,
        long localAsn,
        long remoteAsn,
        long routerId,
        boolean passive,
        Set<AfiSafi> families,
        int holdTime,
        int connectRetrySeconds,
        int delayOpenSeconds,
        boolean extendedMessages,
        int gracefulRestartTime,
        Set<AfiSafi> addPathReceive,
        Set<AfiSafi> addPathSend,
        Integer role,
        String fqdn,
        Set<Integer> requiredCapabilities,
        int idleHoldSeconds,
        int idleHoldMaxSeconds) {

    public static final int BGP_PORT = 179;

    public PeerSettings {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("peer name is required");
        if (remoteAddress == null) throw new IllegalArgumentException("remoteAddress is required for " + name);
        checkPort(remotePort, name);
        if (localPort != 0) checkPort(localPort, name);
        checkAsn(localAsn, name);
        checkAsn(remoteAsn, name);
        if (remoteAsn == 0) throw new IllegalArgumentException("remoteAsn is required for " + name);
        if (routerId < 0 || routerId > 0xFFFF_FFFFL) throw new IllegalArgumentException("routerId out of range");
        families = Set.copyOf(families);
        if (families.isEmpty()) throw new IllegalArgumentException("at least one family for " + name);
        // RFC 4271 section 4.2: the Hold Time is zero or at least three seconds.
        if (holdTime != 0 && (holdTime < 3 || holdTime > 0xFFFF)) {
            throw new IllegalArgumentException("holdTime must be 0 or 3..65535: " + holdTime);
        }
        if (connectRetrySeconds < 1) throw new IllegalArgumentException("connectRetrySeconds must be >= 1");
        if (delayOpenSeconds < 0) throw new IllegalArgumentException("delayOpenSeconds must be >= 0");
        if (gracefulRestartTime > 0xFFF) throw new IllegalArgumentException("gracefulRestartTime above 4095");
        addPathReceive = Set.copyOf(addPathReceive);
        addPathSend = Set.copyOf(addPathSend);
        if (role != null && (role < 0 || role > 255)) throw new IllegalArgumentException("role out of range");
        if (fqdn != null && fqdn.isBlank()) fqdn = null;
        requiredCapabilities = Set.copyOf(requiredCapabilities);
        if (idleHoldSeconds < 0 || idleHoldMaxSeconds < idleHoldSeconds) {
            throw new IllegalArgumentException("need 0 <= idleHoldSeconds <= idleHoldMaxSeconds");
        }
    }

    public static Builder builder(String name, InetAddress remoteAddress, long remoteAsn) {
        return new Builder(name, remoteAddress, remoteAsn);
    }

    /** A builder preloaded with these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean isInternal() {
        return localAsn == remoteAsn;
    }

    /** The OPEN we send to this peer (RFC 4271 section 4.2, capabilities per RFC 5492). */
    public OpenMessage openMessage() {
        List<Capability> caps = new ArrayList<>();
        // RFC 4760 section 8: one Multiprotocol capability per family, in a stable order.
        families.stream().sorted(PeerSettings::compareFamily).forEach(f -> caps.add(new Capability.Multiprotocol(f)));
        caps.add(new Capability.RouteRefresh());
        caps.add(new Capability.EnhancedRouteRefresh());
        caps.add(new Capability.FourOctetAs(localAsn));
        if (extendedMessages) caps.add(new Capability.ExtendedMessage());
        // RFC 4724 section 3: a helper (receiving speaker) advertises no families.
        if (gracefulRestartTime >= 0) caps.add(new Capability.GracefulRestart(0, gracefulRestartTime, List.of()));
        List<Capability.AddPath.Family> addPath = new ArrayList<>();
        Set<AfiSafi> addPathFamilies = new TreeSet<>(PeerSettings::compareFamily);
        addPathFamilies.addAll(addPathReceive);
        addPathFamilies.addAll(addPathSend);
        for (AfiSafi f : addPathFamilies) {
            // RFC 7911 section 4: 1 = receive, 2 = send, 3 = both.
            int sr = (addPathReceive.contains(f) ? 1 : 0) | (addPathSend.contains(f) ? 2 : 0);
            addPath.add(new Capability.AddPath.Family(f, sr));
        }
        if (!addPath.isEmpty()) caps.add(new Capability.AddPath(addPath));
        if (role != null) caps.add(new Capability.Role(role));
        if (fqdn != null) {
            int dot = fqdn.indexOf('.');
            caps.add(dot < 0 ? new Capability.Fqdn(fqdn, "")
                    : new Capability.Fqdn(fqdn.substring(0, dot), fqdn.substring(dot + 1)));
        }
        // RFC 6793 section 3: a 4-octet ASN goes into My Autonomous System as AS_TRANS.
        int myAs = localAsn > 0xFFFF ? OpenMessage.AS_TRANS : (int) localAsn;
        return new OpenMessage(4, myAs, holdTime, routerId, caps);
    }

    private static int compareFamily(AfiSafi a, AfiSafi b) {
        return a.afi() != b.afi() ? Integer.compare(a.afi(), b.afi()) : Integer.compare(a.safi(), b.safi());
    }

    private static void checkPort(int port, String name) {
        if (port < 1 || port > 0xFFFF) throw new IllegalArgumentException("port out of range for " + name + ": " + port);
    }

    private static void checkAsn(long asn, String name) {
        if (asn < 0 || asn > 0xFFFF_FFFFL) throw new IllegalArgumentException("ASN out of range for " + name + ": " + asn);
    }

    /** Fills in the optional settings; {@link #build()} validates. */
    public static final class Builder {
        private String name;
        private InetAddress remoteAddress;
        private int remotePort = BGP_PORT;
        private InetAddress localAddress;
        private int localPort;
        private long localAsn;
        private long remoteAsn;
        private long routerId;
        private boolean passive;
        private Set<AfiSafi> families = Set.of(AfiSafi.IPV4_UNICAST);
        private int holdTime = 90;
        private int connectRetrySeconds = 30;
        private int delayOpenSeconds;
        private boolean extendedMessages = true;
        private int gracefulRestartTime = -1;
        private Set<AfiSafi> addPathReceive = Set.of();
        private Set<AfiSafi> addPathSend = Set.of();
        private Integer role;
        private String fqdn;
        private Set<Integer> requiredCapabilities = Set.of();
        private int idleHoldSeconds = 5;
        private int idleHoldMaxSeconds = 120;

        private Builder(String name, InetAddress remoteAddress, long remoteAsn) {
            this.name = name;
            this.remoteAddress = remoteAddress;
            this.remoteAsn = remoteAsn;
        }

        private Builder(PeerSettings s) {
            name = s.name; remoteAddress = s.remoteAddress; remotePort = s.remotePort;
            localAddress = s.localAddress; localPort = s.localPort; localAsn = s.localAsn;
            remoteAsn = s.remoteAsn; routerId = s.routerId; passive = s.passive; families = s.families;
            holdTime = s.holdTime; connectRetrySeconds = s.connectRetrySeconds;
            delayOpenSeconds = s.delayOpenSeconds; extendedMessages = s.extendedMessages;
            gracefulRestartTime = s.gracefulRestartTime; addPathReceive = s.addPathReceive;
            addPathSend = s.addPathSend; role = s.role; fqdn = s.fqdn;
            requiredCapabilities = s.requiredCapabilities; idleHoldSeconds = s.idleHoldSeconds;
            idleHoldMaxSeconds = s.idleHoldMaxSeconds;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder remoteAddress(InetAddress v) { remoteAddress = v; return this; }
        public Builder remotePort(int v) { remotePort = v; return this; }
        public Builder localAddress(InetAddress v) { localAddress = v; return this; }
        public Builder localPort(int v) { localPort = v; return this; }
        public Builder localAsn(long v) { localAsn = v; return this; }
        public Builder remoteAsn(long v) { remoteAsn = v; return this; }
        public Builder routerId(long v) { routerId = v; return this; }
        public Builder passive(boolean v) { passive = v; return this; }
        public Builder families(Set<AfiSafi> v) { families = v; return this; }
        public Builder holdTime(int v) { holdTime = v; return this; }
        public Builder connectRetrySeconds(int v) { connectRetrySeconds = v; return this; }
        public Builder delayOpenSeconds(int v) { delayOpenSeconds = v; return this; }
        public Builder extendedMessages(boolean v) { extendedMessages = v; return this; }
        public Builder gracefulRestartTime(int v) { gracefulRestartTime = v; return this; }
        public Builder addPathReceive(Set<AfiSafi> v) { addPathReceive = v; return this; }
        public Builder addPathSend(Set<AfiSafi> v) { addPathSend = v; return this; }
        public Builder role(Integer v) { role = v; return this; }
        public Builder fqdn(String v) { fqdn = v; return this; }
        public Builder requiredCapabilities(Set<Integer> v) { requiredCapabilities = v; return this; }
        public Builder idleHold(int initialSeconds, int maxSeconds) {
            idleHoldSeconds = initialSeconds;
            idleHoldMaxSeconds = maxSeconds;
            return this;
        }

        public PeerSettings build() {
            return new PeerSettings(name, remoteAddress, remotePort, localAddress, localPort, localAsn, remoteAsn,
                    routerId, passive, families, holdTime, connectRetrySeconds, delayOpenSeconds, extendedMessages,
                    gracefulRestartTime, addPathReceive, addPathSend, role, fqdn, requiredCapabilities,
                    idleHoldSeconds, idleHoldMaxSeconds);
        }
    }
}
