package dev.ixora.lab.daemon;

/**
 * One BGP session as a daemon reports it. {@code state} is normalised to the RFC 4271 names:
 * Idle, Connect, Active, OpenSent, OpenConfirm, Established. {@code prefixesReceived} is -1 when the
 * daemon does not say.
 */
public record SessionInfo(String neighborAddress, String state, long prefixesReceived) {
    public boolean established() {
        return "Established".equals(state);
    }
}
