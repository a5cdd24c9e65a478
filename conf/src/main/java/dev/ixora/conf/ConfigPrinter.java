package dev.ixora.conf;

import java.util.stream.Collectors;

/**
 * The normalised text of an image: every key, every default applied, canonical spellings. Golden
 * tests diff it; {@code ixora check --dump} prints it.
 */
public final class ConfigPrinter {
    private ConfigPrinter() {}

    public static String print(ConfigImage c) {
        StringBuilder sb = new StringBuilder();
        RouterConfig r = c.router();
        sb.append("router asn=").append(r.asn()).append(" router-id=").append(Addresses.format(r.routerId()))
                .append(" hold-time=").append(r.holdTime()).append('\n');
        sb.append("  listen ").append(r.listen().stream().map(Addresses::format).collect(Collectors.joining(" ")))
                .append('\n');
        sb.append("route-server=").append(c.routeServer()).append(" defaults import=")
                .append(c.defaultImport().configName()).append(" export=").append(c.defaultExport().configName())
                .append('\n');
        for (PeerConfig p : c.peers()) {
            sb.append("peer ").append(p.name()).append(" address=").append(Addresses.format(p.address()))
                    .append(" port=").append(p.port()).append(" asn=").append(p.asn()).append('\n');
            sb.append("  families=").append(p.families().stream().map(Object::toString).collect(Collectors.joining(",")))
                    .append(" passive=").append(p.passive()).append(" shutdown=").append(p.shutdown())
                    .append(" local-address=").append(p.localAddress().map(Addresses::format).orElse("-")).append('\n');
            sb.append("  hold-time=").append(p.holdTime()).append(" connect-retry=").append(p.connectRetry())
                    .append(" next-hop-self=").append(p.nextHopSelf()).append(" add-path=receive:")
                    .append(p.addPath().receive()).append(",send:").append(p.addPath().send()).append('\n');
            sb.append("  route-server=").append(p.routeServerClient()).append(" import=")
                    .append(p.importAction().configName()).append(" export=").append(p.exportAction().configName())
                    .append(" description=\"").append(p.description()).append("\"\n");
        }
        for (AnnounceConfig a : c.announce()) {
            sb.append("announce ").append(a.prefix()).append(" family=").append(a.family())
                    .append(" next-hop=").append(a.nextHop().map(Addresses::format).orElse("session"))
                    .append(" med=").append(a.med().isPresent() ? Long.toString(a.med().getAsLong()) : "-")
                    .append(" prepend=").append(a.asPathPrepend()).append('\n');
            sb.append("  communities=[").append(a.communities().stream().map(Object::toString)
                    .collect(Collectors.joining(","))).append("] large-communities=[")
                    .append(a.largeCommunities().stream().map(Object::toString).collect(Collectors.joining(",")))
                    .append("]\n");
        }
        sb.append("api ").append(c.api().map(a -> Addresses.format(a.listen())).orElse("off")).append('\n');
        return sb.toString();
    }
}
