package dev.ixora.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs host commands (ip, sysctl, nsenter, kill) and returns their output. A non-zero exit becomes
 * an {@link IOException} carrying the command line and its stderr, so the lab's errors say which
 * step failed and why.
 */
final class Shell {
    private Shell() {
    }

    /** The outcome of one command: exit code and both output streams. */
    record Result(int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs argv, waits, returns the result whatever the exit code. */
    static Result exec(List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        try {
            int exit = p.waitFor();
            return new Result(exit, out, err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    /** Runs argv and returns stdout; throws when the exit code is not 0. */
    static String run(List<String> argv) throws IOException {
        Result r = exec(argv);
        if (!r.ok()) {
            throw new IOException("`" + String.join(" ", argv) + "` exited " + r.exit() + ": " + r.stderr().strip()
                    + (r.stderr().isBlank() ? r.stdout().strip() : ""));
        }
        return r.stdout();
    }

    static String run(String... argv) throws IOException {
        return run(List.of(argv));
    }

    /** Runs argv for cleanup: failures are expected (the thing may be gone already) and ignored. */
    static void quiet(String... argv) {
        try {
            exec(List.of(argv));
        } catch (IOException ignored) {
            // cleanup is best effort; the caller checks the end state
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
