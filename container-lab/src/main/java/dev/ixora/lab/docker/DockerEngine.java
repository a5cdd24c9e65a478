package dev.ixora.lab.docker;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine as the lab sees it through Testcontainers, and the lab image.
 *
 * <p>Testcontainers reads three settings from the environment only (not from system properties),
 * and all three are needed here (DESIGN.md "Environment facts"): TESTCONTAINERS_RYUK_DISABLED=true
 * and TESTCONTAINERS_CHECKS_DISABLE=true (both would pull images from a registry), and
 * TESTCONTAINERS_HOST_OVERRIDE=localhost (this machine is itself a container; without it
 * Testcontainers starts a helper container to find its gateway). container-lab's surefire config
 * sets them for tests; {@link #checkEnvironment()} names any that is missing.
 */
public final class DockerEngine {
    /** The environment Testcontainers needs on these machines. */
    public static final Map<String, String> REQUIRED_ENV = Map.of(
            "TESTCONTAINERS_RYUK_DISABLED", "true",
            "TESTCONTAINERS_CHECKS_DISABLE", "true",
            "TESTCONTAINERS_HOST_OVERRIDE", "localhost");

    private DockerEngine() {
    }

    /** Throws when one of {@link #REQUIRED_ENV} is not set as required, naming what to set. */
    public static void checkEnvironment() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : REQUIRED_ENV.entrySet()) {
            if (!e.getValue().equalsIgnoreCase(String.valueOf(System.getenv(e.getKey())))) {
                wrong.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the Docker lab needs the environment " + wrong.stream().sorted().toList()
                    + " (Testcontainers would otherwise pull helper images from a registry)");
        }
    }

    /**
     * Empty when a Docker engine answers; else why not (for a skip or failure message). Throws
     * like {@link #checkEnvironment()} first: without that environment Testcontainers would try to
     * pull a helper image, and "no engine" would be the wrong diagnosis.
     */
    public static Optional<String> unreachable() {
        checkEnvironment();
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) return Optional.empty();
            return Optional.of("no Docker engine answers (start one with bin/docker-up)");
        } catch (RuntimeException e) {
            return Optional.of("no Docker engine answers (start one with bin/docker-up): " + e.getMessage());
        }
    }

    /** The Testcontainers client of the engine. */
    public static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /**
     * The lab image name: system property {@code ixora.lab.image}, else env {@code IXORA_LAB_IMAGE},
     * else what {@code bin/lab-image} prints (it builds the image first when it does not exist:
     * about 90 s once, then nothing while the package list is unchanged). bin/lab-image is looked
     * for in the working directory and its parents.
     */
    public static String labImage() throws IOException {
        String image = System.getProperty("ixora.lab.image", System.getenv("IXORA_LAB_IMAGE"));
        if (image != null && !image.isBlank()) return image.strip();
        Path script = findScript("bin/lab-image");
        Path log = Files.createTempFile("ixora-lab-image-", ".log");
        try {
            Process p = new ProcessBuilder(script.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(log.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(script + " did not finish in 15 minutes");
            }
            if (p.exitValue() != 0 || out.isEmpty()) {
                throw new IOException(script + " failed (exit " + p.exitValue() + "): " + Files.readString(log).strip());
            }
            String[] lines = out.split("\n");
            return lines[lines.length - 1].strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the lab image", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A project script (e.g. "bin/lab-image") in the working directory or one of its parents. */
    static Path findScript(String relative) throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(relative);
            if (Files.isExecutable(p)) return p;
        }
        throw new IOException(relative + " not found in " + Path.of("").toAbsolutePath() + " or its parents");
    }
}
