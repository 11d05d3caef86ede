package org.okrtrl.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** No package of the project, in any module, takes part in a dependency cycle with another. */
class PackageCyclesTest {
    @Test
    void theProjectsPackagesAreFreeOfCycles() {
        JavaClasses all = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.okrtrl");
        slices().matching("org.okrtrl.(**)").should().beFreeOfCycles().check(all);
    }
}
