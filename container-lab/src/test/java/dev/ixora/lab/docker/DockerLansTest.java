package dev.ixora.lab.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Set;

/** The gateway address each LAN's Docker network gets: never a node's, never one Docker refuses. */
class DockerLansTest {
    @Test
    void ipv4GatewayIsTheHighestFreeAddressBelowBroadcast() {
        assertEquals("198.18.7.254", DockerLans.gateway("lan", "198.18.7.0/24", Set.of("198.18.7.1")));
        assertEquals("198.18.7.253", DockerLans.gateway("lan", "198.18.7.0/24", Set.of("198.18.7.254")));
        assertEquals("198.18.9.6", DockerLans.gateway("wire", "198.18.9.0/29", Set.of("198.18.9.1", "198.18.9.2")));
    }

    @Test
    void ipv6GatewayIsNotTheLastAddress() {
        // Docker's IPAM refuses the subnet's last address for IPv6 too ("bit does not belong to the sequence").
        assertEquals("2001:db8:7:0:ffff:ffff:ffff:fffe", DockerLans.gateway("lan", "2001:db8:7::/64", Set.of()));
        assertEquals("2001:db8:7:0:ffff:ffff:ffff:fffd",
                DockerLans.gateway("lan", "2001:db8:7::/64", Set.of("2001:db8:7:0:ffff:ffff:ffff:fffe")));
    }

    @Test
    void aFullPointToPointSubnetIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DockerLans.gateway("wire", "198.18.100.0/30", Set.of("198.18.100.1", "198.18.100.2")));
        assertTrue(e.getMessage().contains("wire") && e.getMessage().contains("198.18.100.0/30"), e.getMessage());
    }
}
