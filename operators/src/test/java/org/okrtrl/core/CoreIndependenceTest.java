package org.okrtrl.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The learning core reads like the mathematics: it depends on no stream processor, broker or JSON library. */
class CoreIndependenceTest {
    @Test
    void theCoreDependsOnNeitherFlinkNorKafkaNorJackson() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.okrtrl.core");
        noClasses().that().resideInAPackage("org.okrtrl.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..",
                        "com.fasterxml.jackson..", "org.okrtrl.operators..", "org.okrtrl.job..")
                .because("the learning core must stay usable and testable without Flink, Kafka or JSON")
                .check(core);
    }
}
