package dev.ixora.lab.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test-only {@link NodeExec}: a network namespace and a host directory. Commands run with
 * {@code ip netns exec}; there is no overlay, so etcDir()/runDir() are plain directories under
 * workDir (the adapters keep everything they need under workDir and pass paths by flag).
 */
final class NetnsNode implements NodeExec {
    final String netns;
    private final Path work;

    NetnsNode(String netns, Path work) {
        this.netns = netns;
        this.work = work;
    }

    @Override
    public String run(String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        return Host.run(cmd);
    }

    @Override
    public Path etcDir() {
        return work.resolve("etc");
    }

    @Override
    public Path runDir() {
        return work.resolve("run");
    }

    @Override
    public Path workDir() {
        return work;
    }

    /** Runs commands on the host (ip link/netns), waits, returns stdout or throws with stderr. */
    static final class Host {
        private Host() {
        }

        static String run(String... argv) throws IOException {
            return run(List.of(argv));
        }

        static String run(List<String> argv) throws IOException {
            Process p = new ProcessBuilder(argv).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("timed out: " + argv);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + argv, e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + " from " + argv + ": "
                        + new String(err.join(), StandardCharsets.UTF_8) + out);
            }
            return out;
        }

        static String readOrEmpty(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "";
            }
        }
    }
}
