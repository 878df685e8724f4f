package org.portcullis.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.cli.PortcullisMain;

/**
 * No package of gateway-core depends, directly or through others, on a package that depends back on it (issue 13).
 * A cycle means neither package can be read, tested or changed alone, and the request path stops being one clear
 * direction. Every Java package is its own slice: {@code portal.guard} and {@code portal.page} (the portal's compiled
 * site, held by the snapshot) sit below {@code snapshot}, while {@code portal} and {@code portal.flow} (which answer
 * requests under a snapshot) sit above it, and a cycle between {@code portal} and its subpackages counts as well.
 */
class PackageCyclesTest {
    private static JavaClasses classes;

    /** gateway-core's own main classes only: its tests and the other modules' classes are not imported. */
    @BeforeAll
    static void importGatewayCoreMainClasses() throws URISyntaxException {
        Path location = Path.of(PortcullisMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(location);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.portcullis.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The snapshot is what every stage reads; it must not know the stages that read it. */
    @Test
    void snapshotKnowsNoRequestStage() {
        noClasses().that().resideInAPackage("org.portcullis.snapshot..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.portcullis.admission..", "org.portcullis.portal", "org.portcullis.portal.flow..",
                        "org.portcullis.proxy..", "org.portcullis.server..", "org.portcullis.cli..")
                .check(classes);
    }
}
