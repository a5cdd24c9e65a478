package dev.ixora.conf;

/** RFC 7911 ADD-PATH directions a peer session offers. */
public record AddPathConfig(boolean receive, boolean send) {
    public static final AddPathConfig NONE = new AddPathConfig(false, false);
}
