package dev.ixora.lab.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import dev.ixora.lab.Topology;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.List;
import java.util.Map;

/**
 * The container of one lab node: the lab image, its node directory bind-mounted at the same path,
 * its first LAN as the network it is created on (with the node's addresses), further LANs
 * connected before it starts, cgroup limits from the topology, and the start script as command.
 */
final class NodeContainer extends GenericContainer<NodeContainer> {
    private final String lab;
    private final Topology.Node node;

    NodeContainer(String image, String lab, DockerNode dn) {
        super(DockerImageName.parse(image));
        this.lab = lab;
        this.node = dn.topologyNode();
        List<Topology.Attachment> lans = node.attachments();
        withNetworkMode(lans.isEmpty() ? "none" : DockerNames.network(lab, lans.get(0).lan()));
        withLabel(DockerNames.LABEL, lab);
        withFileSystemBind(dn.dir().toString(), dn.dir().toString(), BindMode.READ_WRITE);
        withFileSystemBind(dn.runDir().toString(), "/run", BindMode.READ_WRITE);
        withCommand("/bin/sh", StartScript.path(dn).toString());
        withCreateContainerCmdModifier(this::configure);
    }

    /** Binds a host path at a container path. */
    NodeContainer bind(String hostPath, String containerPath, boolean readOnly) {
        return withFileSystemBind(hostPath, containerPath, readOnly ? BindMode.READ_ONLY : BindMode.READ_WRITE);
    }

    private void configure(CreateContainerCmd cmd) {
        cmd.withName(DockerNames.container(lab, node.name())).withHostName(node.name());
        HostConfig hc = cmd.getHostConfig();
        // NET_ADMIN: zebra and `ip` change links and routes; NET_RAW: ping and raw sockets for
        // traffic tests; SYS_ADMIN: FRR's daemons keep it in their permitted set and refuse to start
        // without it ("privs_init: initial cap_set_proc failed"). Docker's default set has
        // SETUID/SETGID/SYS_CHROOT for OpenBGPD's privilege separation. Not --privileged: these
        // machines are containers themselves, and the lab needs no devices.
        hc.withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW, Capability.SYS_ADMIN)
                // docker-init as pid 1: forwards SIGTERM to the daemon and reaps the helpers its
                // run script starts (a daemon as pid 1 would ignore signals it has no handler for).
                .withInit(true)
                .withSysctls(Map.of(
                        "net.ipv6.conf.all.disable_ipv6", "0",
                        // Addresses usable at once, as in the namespace backend's `nodad`.
                        "net.ipv6.conf.all.accept_dad", "0",
                        "net.ipv6.conf.default.accept_dad", "0"));
        Topology.Limits limits = node.limits();
        if (limits.memoryBytes() != null) hc.withMemory(limits.memoryBytes());
        if (limits.cpu() != null) hc.withNanoCPUs(Math.round(limits.cpu() * 1e9));
        if (!node.attachments().isEmpty()) {
            Topology.Attachment first = node.attachments().get(0);
            if (first.ipv4() != null) cmd.withIpv4Address(host(first.ipv4()));
            if (first.ipv6() != null) cmd.withIpv6Address(host(first.ipv6()));
        }
    }

    /**
     * Connects the node's other LANs between create and start (Docker's API of Debian's engine,
     * 1.41, takes one network at create), so the daemon starts with every address in place.
     */
    @Override
    protected void containerIsCreated(String containerId) {
        List<Topology.Attachment> lans = node.attachments();
        for (Topology.Attachment a : lans.subList(Math.min(1, lans.size()), lans.size())) {
            ContainerNetwork.Ipam ipam = new ContainerNetwork.Ipam();
            if (a.ipv4() != null) ipam.withIpv4Address(host(a.ipv4()));
            if (a.ipv6() != null) ipam.withIpv6Address(host(a.ipv6()));
            getDockerClient().connectToNetworkCmd()
                    .withContainerId(containerId)
                    .withNetworkId(DockerNames.network(lab, a.lan()))
                    .withContainerNetwork(new ContainerNetwork().withIpamConfig(ipam))
                    .exec();
        }
    }

    static String host(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }
}
