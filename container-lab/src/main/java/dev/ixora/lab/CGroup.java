package dev.ixora.lab;

import dev.ixora.lab.Topology.Limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A lab node's cgroup: one directory per controller on cgroup v1 (memory, cpu, pids), one
 * directory on cgroup v2. On v1 it is created below the cgroup of the current process (so the lab
 * stays inside whatever limits its caller runs under); on v2 below /sys/fs/cgroup/ixora.lab, because
 * v2 cannot enable controllers for children of a cgroup that holds processes.
 */
final class CGroup {
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "pids");
    private static final long CFS_PERIOD_US = 100_000;

    private final List<Path> dirs;

    private CGroup(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    static boolean v2() {
        return Files.exists(ROOT.resolve("cgroup.controllers"));
    }

    /** The directories this group has (or would have) for name. */
    static CGroup named(String name) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path base : bases()) dirs.add(base.resolve(name));
        return new CGroup(dirs);
    }

    /** Existing groups whose name starts with prefix, in any of the places the lab creates them. */
    static List<CGroup> existing(String prefix) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        List<Path> places = new ArrayList<>(bases());
        if (!v2()) for (String c : V1_CONTROLLERS) places.add(ROOT.resolve(c)); // also the hierarchy roots
        for (Path base : places) {
            if (!Files.isDirectory(base)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, prefix + "*")) {
                for (Path p : ds) if (Files.isDirectory(p)) names.add(p.toString());
            }
        }
        List<CGroup> out = new ArrayList<>();
        for (String n : names) out.add(new CGroup(List.of(Path.of(n))));
        return out;
    }

    /** Creates the group and writes the limits. */
    static CGroup create(String name, Limits limits) throws IOException {
        CGroup g = named(name);
        if (v2()) enableV2Controllers();
        for (Path d : g.dirs) Files.createDirectories(d);
        if (v2()) {
            Path d = g.dirs.get(0);
            if (limits.cpu() != null) write(d.resolve("cpu.max"), Math.round(limits.cpu() * CFS_PERIOD_US) + " " + CFS_PERIOD_US);
            if (limits.memoryBytes() != null) write(d.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        } else {
            for (Path d : g.dirs) {
                String controller = d.getName(3).toString(); // /sys/fs/cgroup/<controller>/...
                if (controller.equals("cpu") && limits.cpu() != null) {
                    write(d.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_US));
                    write(d.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(limits.cpu() * CFS_PERIOD_US)));
                }
                if (controller.equals("memory") && limits.memoryBytes() != null) {
                    write(d.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
                }
            }
        }
        return g;
    }

    List<Path> dirs() {
        return dirs;
    }

    /** The directory of a v1 controller ("memory", "cpu"), or the single v2 directory. */
    Path dir(String controller) {
        if (v2()) return dirs.get(0);
        return dirs.stream().filter(d -> d.getName(3).toString().equals(controller)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + controller + " cgroup"));
    }

    /** The cgroup.procs files a process is written to, to join this group. */
    List<Path> procsFiles() {
        return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    void add(long pid) throws IOException {
        for (Path p : procsFiles()) write(p, Long.toString(pid));
    }

    Set<Long> pids() {
        Set<Long> out = new LinkedHashSet<>();
        for (Path p : procsFiles()) {
            try {
                for (String l : Files.readAllLines(p)) if (!l.isBlank()) out.add(Long.parseLong(l.strip()));
            } catch (IOException ignored) {
                // group already gone
            }
        }
        return out;
    }

    /** Kills every process in the group and removes its directories; true when nothing is left. */
    boolean destroy() {
        for (int round = 0; round < 50; round++) {
            Set<Long> pids = pids();
            if (pids.isEmpty()) break;
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            sleep(100);
        }
        boolean gone = true;
        for (Path d : dirs) {
            for (int i = 0; i < 20 && Files.exists(d); i++) {
                try {
                    Files.delete(d); // rmdir: a cgroup directory goes once it holds no process
                } catch (IOException e) {
                    sleep(100);
                }
            }
            gone &= !Files.exists(d);
        }
        return gone;
    }

    private static List<Path> bases() throws IOException {
        if (v2()) return List.of(ROOT.resolve("ixora.lab"));
        List<Path> out = new ArrayList<>();
        List<String> self = Files.readAllLines(Path.of("/proc/self/cgroup"));
        for (String c : V1_CONTROLLERS) {
            String rel = "/";
            for (String line : self) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && List.of(f[1].split(",")).contains(c)) rel = f[2];
            }
            Path base = ROOT.resolve(c).resolve(rel.substring(1));
            if (!Files.isDirectory(base)) base = ROOT.resolve(c); // our cgroup is not visible here: use the root
            out.add(base);
        }
        return out;
    }

    /**
     * Delegates cpu, memory and pids down to the lab's groups. Best effort: inside a container the
     * visible root may hold processes, and cgroup v2 then refuses to enable controllers below it
     * ("no internal processes"); the groups still work for placing and killing processes, and
     * writing a limit then fails with a clear error.
     */
    private static void enableV2Controllers() throws IOException {
        Path parent = ROOT.resolve("ixora.lab");
        Files.createDirectories(parent);
        for (Path p : List.of(ROOT.resolve("cgroup.subtree_control"), parent.resolve("cgroup.subtree_control"))) {
            for (String c : List.of("+cpu", "+memory", "+pids")) {
                try {
                    Files.writeString(p, c, StandardCharsets.US_ASCII);
                } catch (IOException ignored) {
                    // see above
                }
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write \"" + value + "\" to " + file + ": " + e.getMessage(), e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
