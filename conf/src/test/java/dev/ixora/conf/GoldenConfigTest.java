package dev.ixora.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden config tests: each {@code configs/NAME.yaml} has either {@code NAME.ok} (the normalised
 * dump of the image) or {@code NAME.err} (the error list, one per line). Run with
 * {@code -Dixora.regenerate=true} to rewrite the expected files from the current output, then
 * review the diff.
 */
class GoldenConfigTest {
    private static final Path DIR = Path.of("src/test/resources/configs");
    private static final boolean REGENERATE = Boolean.getBoolean("ixora.regenerate");

    @TestFactory
    Stream<DynamicTest> golden() throws IOException {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(DIR)) {
            inputs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(inputs.size() >= 10, "expected the golden corpus in " + DIR.toAbsolutePath());
        return inputs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path yaml) throws IOException {
        String base = yaml.getFileName().toString().replaceFirst("\\.yaml$", "");
        Path ok = yaml.resolveSibling(base + ".ok");
        Path err = yaml.resolveSibling(base + ".err");
        byte[] content = Files.readAllBytes(yaml);
        String actual;
        boolean success;
        try {
            actual = ConfigPrinter.print(ConfigLoader.parse(yaml.getFileName().toString(), content));
            success = true;
        } catch (ConfigException e) {
            actual = e.getMessage() + "\n";
            success = false;
        }
        if (REGENERATE) {
            Files.deleteIfExists(success ? err : ok);
            Files.writeString(success ? ok : err, actual, StandardCharsets.UTF_8);
            return;
        }
        if (Files.exists(ok) == Files.exists(err)) fail("need exactly one of " + ok + " and " + err);
        Path expected = Files.exists(ok) ? ok : err;
        if (success != Files.exists(ok)) {
            fail(yaml + ": expected " + (success ? "errors" : "success") + " but got:\n" + actual);
        }
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, yaml.toString());
    }

    /** The example configs shipped at the top of the conf module must validate. */
    @Test
    void shippedExamplesValidate() throws Exception {
        List<Path> examples;
        try (Stream<Path> s = Files.list(Path.of("."))) {
            examples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(examples.stream().anyMatch(p -> p.getFileName().toString().equals("ixora.yaml")),
                "conf/ixora.yaml must exist");
        for (Path p : examples) {
            ConfigImage image = ConfigLoader.load(p);
            assertTrue(image.router().asn() > 0, p.toString());
        }
    }
}
