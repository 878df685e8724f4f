package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.Redemption;
import org.portcullis.identity.FirstFactorResult;
import org.portcullis.totp.Verification;

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

    static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");
    private static final Pattern CONSTANT = Pattern.compile(
            "static final String ([A-Z][A-Z0-9_]*) = \"([a-z][a-z0-9_]*)\";");

    /**
     * The {@code event.reason} codes the code writes with a sign-in or session event, read from the sources: every
     * lower-case string literal in a statement that records a {@code SignInEvent.ACTION_*} (a literal ending in
     * {@code _} is a prefix, as in {@code "remaining_" + n}). Reasons made from an enum constant's name are listed by
     * {@link #reasonsFromEnums()}.
     */
    static TreeSet<String> reasonLiteralsTheCodeWrites() throws IOException {
        TreeSet<String> reasons = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source, StandardCharsets.UTF_8);
            // A reason kept in a constant of the same class: static final String REASON = "…";
            java.util.Map<String, String> constants = new java.util.HashMap<>();
            Matcher constant = CONSTANT.matcher(text);
            while (constant.find()) {
                constants.put(constant.group(1), constant.group(2));
            }
            int at = 0;
            while ((at = text.indexOf("SignInEvent.ACTION_", at)) >= 0) {
                int start = Math.max(Math.max(text.lastIndexOf(';', at), text.lastIndexOf('{', at)),
                        text.lastIndexOf('}', at)) + 1;
                int end = text.indexOf(';', at);
                String statement = text.substring(start, end < 0 ? text.length() : end);
                if (statement.contains("record(") || statement.contains("new SignInEvent(")) {
                    Matcher literal = LITERAL.matcher(statement);
                    while (literal.find()) {
                        reasons.add(literal.group(1));
                    }
                    Matcher name = Pattern.compile("\\b[A-Z][A-Z0-9_]*\\b").matcher(statement);
                    while (name.find()) {
                        if (constants.containsKey(name.group())) {
                            reasons.add(constants.get(name.group()));
                        }
                    }
                }
                at += "SignInEvent.ACTION_".length();
            }
        }
        return reasons;
    }

    /**
     * Reasons written as an enum constant's lower-case name: a password's refusal, an invitation's redemption, a
     * code's refusal (at the second-factor page, and with {@code enrol_} at enrolment).
     */
    static TreeSet<String> reasonsFromEnums() {
        TreeSet<String> reasons = new TreeSet<>();
        for (FirstFactorResult.Reason refusal : FirstFactorResult.Reason.values()) {
            reasons.add(refusal.name().toLowerCase(Locale.ROOT));
        }
        for (Redemption redemption : Redemption.values()) {
            reasons.add(redemption.name().toLowerCase(Locale.ROOT));
        }
        for (Verification.Reason refusal : Verification.Reason.values()) {
            reasons.add(refusal.name().toLowerCase(Locale.ROOT));
            reasons.add("enrol_" + refusal.name().toLowerCase(Locale.ROOT));
        }
        return reasons;
    }

    @Test
    void everyReasonTheCodeWritesIsDocumented() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        TreeSet<String> reasons = reasonLiteralsTheCodeWrites();
        assertThat(reasons).as("the scan finds the reasons it should").contains("password_second_factor_due",
                "busy", "remaining_", "first_second_factor_enrolled");
        reasons.addAll(reasonsFromEnums());
        TreeSet<String> undocumented = new TreeSet<>();
        for (String reason : reasons) {
            boolean prefix = reason.endsWith("_");
            if (prefix ? !doc.contains("`" + reason) : !doc.contains("`" + reason + "`")) {
                undocumented.add(reason);
            }
        }
        assertThat(undocumented).as("reasons the code writes that " + DOC + " does not list").isEmpty();
    }

    @Test
    void theChallengeReasonsQueryKnowsAreTheOnesThePortalWrites() throws Exception {
        String portal = Files.readString(MAIN_SOURCES.resolve(Path.of("org", "portcullis", "portal",
                "ChallengeResponses.java")), StandardCharsets.UTF_8);
        TreeSet<String> written = new TreeSet<>();
        Matcher reason = Pattern.compile("\"((SIGN_IN|SECOND_FACTOR)_[A-Z_]+)\"").matcher(portal);
        while (reason.find()) {
            written.add(reason.group(1));
        }
        assertThat(written).isNotEmpty();
        assertThat(AuditFilter.CHALLENGE_REASONS).containsExactlyInAnyOrderElementsOf(written);
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(written).allSatisfy(code -> assertThat(doc).contains("`" + code + "`"));
    }

    /**
     * Every table parses: a header, a {@code |---|} separator, rows with as many cells as the header (a pipe inside
     * backticks is text), and no row cut off from its table by a blank line (which Markdown shows as text).
     */
    @Test
    void everyTableParses() throws Exception {
        List<String> doc = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        boolean inCode = false;
        int header = -1;
        for (int i = 0; i < doc.size(); i++) {
            String line = doc.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            if (inCode || !line.startsWith("|")) {
                header = -1;
                continue;
            }
            int cells = cells(line);
            if (header < 0) {
                header = cells;
                String next = i + 1 < doc.size() ? doc.get(i + 1) : "";
                if (!next.matches("\\|(\\s*:?-{3,}:?\\s*\\|)+")) {
                    problems.add("line " + (i + 1) + ": a table row with no header separator after it (a table cut"
                            + " by a blank line?): " + line);
                }
            } else if (cells != header) {
                problems.add("line " + (i + 1) + ": " + cells + " cells, the header has " + header);
            }
        }
        assertThat(problems).as(DOC + " tables").isEmpty();
    }

    private static int cells(String row) {
        int cells = 0;
        boolean code = false;
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '`') {
                code = !code;
            } else if (c == '|' && !code && row.charAt(i - 1) != '\\') {
                cells++;
            }
        }
        return cells;
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
