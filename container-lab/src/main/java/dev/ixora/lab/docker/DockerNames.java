package dev.ixora.lab.docker;

/**
 * Names of what a Docker lab creates. Everything starts with {@code ixora-lab-<lab>-}; lab names
 * have no '-' (Topology's rule), so that prefix belongs to one lab only and
 * {@link DockerLab#downByName} can find it all after a crash. Each object also carries the label
 * {@value #LABEL}=&lt;lab&gt;.
 */
final class DockerNames {
    static final String PREFIX = "ixora-lab-";
    static final String LABEL = "dev.ixora.lab";

    private DockerNames() {
    }

    static String prefix(String lab) {
        return PREFIX + lab + "-";
    }

    static String container(String lab, String node) {
        return prefix(lab) + node;
    }

    static String network(String lab, String lan) {
        return prefix(lab) + lan;
    }
}
