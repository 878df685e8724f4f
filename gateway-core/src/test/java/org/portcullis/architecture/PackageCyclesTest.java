package org.portcullis.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.portcullis.cli.PortcullisMain;

/**
 * No package of gateway-core depends, directly or through others, on a package that depends back on it (issue 13).
 * A cycle means neither package can be read, tested or changed alone, and the request path stops being one clear
 * direction. Packages are sliced at the first level under {@code org.portcullis}, so {@code portal.flow} counts as
 * {@code portal}: the issue names cycles between features, and a feature's subpackages are that feature's business.
 */
class PackageCyclesTest {
    private static final Pattern SLICE = Pattern.compile("Slice (\\w+)");

    /**
     * The cycles that were already there when this test came; each is written from its alphabetically first package.
     * Breaking one means deleting its line here. Adding a line means adding a cycle: don't.
     */
    private static final Set<String> KNOWN_CYCLES = Set.of(
            "admission -> portal -> admission",
            "admission -> portal -> server -> admission",
            "admission -> portal -> server -> proxy -> admission",
            "admission -> portal -> server -> proxy -> upstream -> admission",
            "admission -> portal -> server -> upstream -> admission",
            "admission -> portal -> upstream -> admission",
            "admission -> server -> admission",
            "admission -> server -> portal -> admission",
            "admission -> server -> portal -> upstream -> admission",
            "admission -> server -> proxy -> admission",
            "admission -> server -> proxy -> portal -> admission",
            "admission -> server -> proxy -> portal -> upstream -> admission",
            "admission -> server -> proxy -> upstream -> admission",
            "admission -> server -> upstream -> admission",
            "portal -> server -> portal",
            "portal -> server -> proxy -> portal",
            "proxy -> server -> proxy");

    /** gateway-core's own main classes only: its tests and the other modules' classes are not imported. */
    static JavaClasses gatewayCoreMainClasses() throws URISyntaxException {
        Path classes = Path.of(PortcullisMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(classes);
    }

    @Test
    void noPackageCycleBeyondTheKnownOnes() throws URISyntaxException {
        ArchRule rule = slices().matching("org.portcullis.(*)..").should().beFreeOfCycles();
        List<String> details = rule.evaluate(gatewayCoreMainClasses()).getFailureReport().getDetails();

        Set<String> cycles = new TreeSet<>();
        for (String detail : details) {
            cycles.add(cycleOf(detail));
        }
        assertThat(cycles).as("package cycles among gateway-core's main classes:%n%s", String.join("\n", details))
                .isSubsetOf(KNOWN_CYCLES);
    }

    /** "Cycle detected: Slice a -> Slice b -> Slice a ..." as "a -> b -> a", rotated to start at its first name. */
    private static String cycleOf(String detail) {
        int end = detail.indexOf("1. Dependencies");
        String head = end < 0 ? detail : detail.substring(0, end);
        List<String> names = new ArrayList<>();
        Matcher matcher = SLICE.matcher(head);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        List<String> ring = new ArrayList<>(names.subList(0, names.size() - 1));
        Collections.rotate(ring, -ring.indexOf(Collections.min(ring)));
        ring.add(ring.get(0));
        return String.join(" -> ", ring);
    }
}
