package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/audit-log.md lists every event the code can write (issue "audit trail" §1): for every {@code event.action}
 * it has a section heading or a table row, and an example line; every field name the writer uses appears; and the
 * sample trail at its end verifies under the documented example key.
 *
 * <p>The actions are read from the code, not from a list kept beside this test: the permitted records of the sealed
 * {@link AuditEvent}, and their {@code public static final String ACTION} / {@code ACTION_*} constants (a plain
 * {@link Class#getFields()}), so a new record or a new constant fails here until it is documented.
 */
class AuditLogDocumentationTest {
    static final Path DOC = Path.of("..", "docs", "audit-log.md");
    static final String EXAMPLE_KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    @TempDir
    Path dir;

    static List<String> actionsTheCodeCanWrite() throws IllegalAccessException {
        List<String> actions = new ArrayList<>();
        for (Class<?> type : AuditEvent.class.getPermittedSubclasses()) {
            List<String> own = constants(type, "ACTION");
            assertThat(own).as("%s has an ACTION or ACTION_* constant", type.getSimpleName()).isNotEmpty();
            actions.addAll(own);
        }
        return actions;
    }

    static List<String> constants(Class<?> type, String prefix) throws IllegalAccessException {
        List<String> values = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class
                    && (field.getName().equals(prefix) || field.getName().startsWith(prefix + "_"))) {
                field.setAccessible(true);
                values.add((String) field.get(null));
            }
        }
        return values;
    }

    @Test
    void everyActionHasASectionOrTableRowAndAnExampleLine() throws Exception {
        List<String> doc = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<String> actions = actionsTheCodeCanWrite();
        assertThat(actions).contains(AccessDecision.ACTION, ConfigReload.ACTION, SignInEvent.ACTION_SIGN_IN,
                AdminCommand.ACTION, AuditRecovered.ACTION);
        TreeSet<String> undocumented = new TreeSet<>();
        TreeSet<String> withoutExample = new TreeSet<>();
        for (String action : actions) {
            String code = "`" + action + "`";
            boolean described = doc.stream().anyMatch(line -> line.startsWith("#") && line.contains(code)
                    || line.startsWith("| " + code + " |"));
            if (!described) {
                undocumented.add(action);
            }
            if (doc.stream().noneMatch(line -> line.startsWith("{") && line.contains(
                    "\"event.action\":\"" + action + "\""))) {
                withoutExample.add(action);
            }
        }
        assertThat(undocumented).as("actions without a heading or table row in " + DOC).isEmpty();
        assertThat(withoutExample).as("actions without an example line in " + DOC).isEmpty();
    }

    @Test
    void everyFieldNameTheWriterUsesIsDocumented() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (Field field : AuditJson.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                fields.add((String) field.get(null));
            }
        }
        assertThat(fields).contains("event.hash", "event.sequence", "chain.previous_hash");
        assertThat(fields).allSatisfy(name -> assertThat(doc).as("field %s", name).contains("`" + name + "`"));
    }

    @Test
    void everyExampleLineIsASealedLineAndTheSampleTrailVerifies() throws Exception {
        List<String> doc = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        int sample = doc.indexOf("## Sample trail");
        assertThat(sample).isPositive();
        List<String> examples = doc.subList(0, sample).stream().filter(line -> line.startsWith("{\"@timestamp\""))
                .toList();
        assertThat(examples).isNotEmpty().allSatisfy(line -> {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(AuditLine.parse(bytes, bytes.length)).as("an example shows the line as written, ending in "
                    + "event.sequence and event.hash: %s", line).isNotNull();
        });
        List<String> block = new ArrayList<>();
        int start = doc.subList(sample, doc.size()).indexOf("```json") + sample + 1;
        for (int i = start; !doc.get(i).equals("```"); i++) {
            block.add(doc.get(i));
        }
        Path trail = Files.writeString(dir.resolve("audit.jsonl"), String.join("\n", block) + "\n");
        AuditVerifier.Result result = AuditVerifier.verify(List.of(trail), AuditKey.fromText(EXAMPLE_KEY));
        assertThat(result).isInstanceOfSatisfying(AuditVerifier.Intact.class, intact -> {
            assertThat(intact.fromStart()).isTrue();
            assertThat(intact.recovered()).isEqualTo(1);
        });
    }
}
