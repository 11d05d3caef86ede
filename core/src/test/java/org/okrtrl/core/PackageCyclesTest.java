package org.okrtrl.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form a hierarchy: linalg and random at the bottom, cells, readout and
 * influence estimators above them, learners on top, with no cycle between any two. (That the core
 * needs no Flink, Kafka or JSON library is its module's boundary: it does not depend on them.)
 */
class PackageCyclesTest {
    @Test
    void theCoresPackagesAreFreeOfCycles() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.okrtrl.core");
        slices().matching("org.okrtrl.core.(**)").should().beFreeOfCycles().check(core);
    }
}
