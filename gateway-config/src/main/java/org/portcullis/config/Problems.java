package org.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects errors and warnings instead of throwing at the first one, so a user fixes a config in one round
 * (Authelia's {@code StructValidator}). Problems are returned sorted by line, which is file order.
 */
final class Problems {
    private final Path file;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void error(int line, String path, String message) {
        errors.add(new ConfigProblem(file, line, displayPath(path), message));
    }

    void error(YamlNode node, String message) {
        error(node.line(), node.path(), message);
    }

    void warning(YamlNode node, String message) {
        warnings.add(new ConfigProblem(file, node.line(), displayPath(node.path()), message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    List<ConfigProblem> errors() {
        return inFileOrder(errors);
    }

    List<ConfigProblem> warnings() {
        return inFileOrder(warnings);
    }

    private static List<ConfigProblem> inFileOrder(List<ConfigProblem> problems) {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line)); // stable: same line keeps report order
        return List.copyOf(sorted);
    }

    private static String displayPath(String path) {
        return path.isEmpty() ? Messages.PATH_ROOT : ValueDisplay.escape(path);
    }
}
