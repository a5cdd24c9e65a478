package dev.ixora.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of DESIGN.md, checked by the build. Think hard about the layering before
 * changing this file: the Maven poms allow what is listed here, and this test says why.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ixora");
    }

    private static void onlyDependsOn(String pkg, String... allowed) {
        String[] forbidden = java.util.stream.Stream.of(
                        "codec", "fsm", "rib", "policy", "conf", "sdn", "lab", "server", "tests")
                .filter(p -> !p.equals(pkg) && !java.util.Arrays.asList(allowed).contains(p))
                .map(p -> "dev.ixora." + p + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("dev.ixora." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void codecIsALeaf() {
        onlyDependsOn("codec");
        noClasses().that().resideInAPackage("dev.ixora.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel.epoll..", "io.netty.bootstrap..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void fsmSeesOnlyTheCodec() {
        onlyDependsOn("fsm", "codec");
    }

    @Test
    void ribSeesOnlyTheCodecAndNoChannels() {
        onlyDependsOn("rib", "codec");
        noClasses().that().resideInAnyPackage("dev.ixora.rib..", "dev.ixora.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.bootstrap..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void policySeesCodecAndRib() {
        onlyDependsOn("policy", "codec", "rib");
    }

    @Test
    void confSeesCodecAndPolicy() {
        onlyDependsOn("conf", "codec", "policy");
    }

    @Test
    void sdnBridgeSeesCodecRibConf() {
        onlyDependsOn("sdn", "codec", "rib", "conf");
    }

    @Test
    void labSeesOnlyConf() {
        onlyDependsOn("lab", "conf");
    }

    @Test
    void onlyTheTestsSeeTheTests() {
        onlyDependsOn("server", "codec", "fsm", "rib", "policy", "conf", "sdn", "lab");
    }
}
