package dev.ixora.conf;

/** What a peer's import or export does with a route when no finer policy says otherwise. */
public enum PolicyAction {
    ACCEPT, REJECT;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
