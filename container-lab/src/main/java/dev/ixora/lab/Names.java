package dev.ixora.lab;

import java.nio.file.Path;

/**
 * Every host-visible name a lab owns, derived from the lab's name so two labs never collide and a
 * crashed lab can be found and removed by name. Lab names have no '-', so "&lt;lab&gt;-" is an
 * unambiguous prefix.
 */
final class Names {
    private Names() {
    }

    /** Default root of run directories: /tmp/ixora-lab/&lt;lab&gt;/&lt;node&gt;/... */
    static final Path DEFAULT_RUN_ROOT = Path.of("/tmp/ixora-lab");

    static String netns(String lab, String node) {
        return lab + "-" + node;
    }

    /** The namespace holding the lab's LAN bridges. Node name "sw" is reserved for it. */
    static String switchNs(String lab) {
        return lab + "-sw";
    }

    static String netnsPrefix(String lab) {
        return lab + "-";
    }

    static String cgroup(String lab, String node) {
        return cgroupPrefix(lab) + node;
    }

    static String cgroupPrefix(String lab) {
        return "ixora-" + lab + "-";
    }

    /** Bridge of the i-th LAN, inside the switch namespace. */
    static String bridge(int lanIndex) {
        return "br" + lanIndex;
    }

    /** Switch-side end of node n's veth on LAN l (interface names are limited to 15 characters). */
    static String switchPort(int lanIndex, int nodeIndex) {
        return "l" + lanIndex + "n" + nodeIndex;
    }
}
