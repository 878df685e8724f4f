package org.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlMap;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Typed reads from the YAML tree for the section validators. Each method either returns the value or reports one
 * error at the node and returns empty; it never throws and never invents a default (defaults live in the model).
 */
final class NodeReader {
    private static final Pattern POSITIVE_INT = Pattern.compile("[0-9]{1,10}");
    private static final String TRUE = "true";
    private static final String FALSE = "false";

    private final Problems problems;
    private final Path baseDirectory;
    private final Set<Path> referencedFiles;

    NodeReader(Problems problems, Path baseDirectory, Set<Path> referencedFiles) {
        this.problems = problems;
        this.baseDirectory = baseDirectory;
        this.referencedFiles = referencedFiles;
    }

    Problems problems() {
        return problems;
    }

    /** The mapping with its keys checked against {@code allowedKeys}. */
    Optional<MappingView> mapping(YamlNode node, List<String> allowedKeys) {
        if (node instanceof YamlMap map) {
            return Optional.of(new MappingView(map, allowedKeys, problems));
        }
        reportWrongType(node, "a mapping");
        return Optional.empty();
    }

    /** A non-empty list's items. */
    Optional<List<YamlNode>> list(YamlNode node) {
        if (!(node instanceof YamlList list)) {
            reportWrongType(node, "a list");
            return Optional.empty();
        }
        if (list.items().isEmpty()) {
            problems.error(node, Messages.emptyList());
            return Optional.empty();
        }
        return Optional.of(list.items());
    }

    /** A non-empty list with every item converted; empty if the list or any item was wrong (all are reported). */
    <T> Optional<List<T>> listOf(YamlNode node, Function<YamlNode, Optional<T>> item) {
        Optional<List<YamlNode>> items = list(node);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<T> values = new ArrayList<>();
        boolean allValid = true;
        for (YamlNode child : items.get()) {
            Optional<T> value = item.apply(child);
            allValid &= value.isPresent();
            value.ifPresent(values::add);
        }
        return allValid ? Optional.of(values) : Optional.empty();
    }

    /** A scalar, or empty after reporting that the node is a container or null. */
    Optional<YamlScalar> scalar(YamlNode node, String expected) {
        if (node instanceof YamlScalar scalar && scalar.kind() != YamlScalar.Kind.NULL) {
            return scalar.kind() == YamlScalar.Kind.INVALID ? Optional.empty() : Optional.of(scalar);
        }
        reportWrongType(node, expected);
        return Optional.empty();
    }

    /** A non-empty string. Numbers and booleans are accepted as their text: YAML's typing is not the user's intent. */
    Optional<String> string(YamlNode node) {
        Optional<YamlScalar> scalar = scalar(node, "a string");
        if (scalar.isPresent() && scalar.get().text().isEmpty()) {
            problems.error(node, Messages.emptyString());
            return Optional.empty();
        }
        return scalar.map(YamlScalar::text);
    }

    /**
     * Converts a non-empty string with {@code parse}; when it yields nothing, reports {@code message} applied to the
     * displayed (possibly redacted) value.
     */
    <T> Optional<T> parsed(YamlNode node, Function<String, Optional<T>> parse, Function<String, String> message) {
        Optional<YamlScalar> scalar = scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        if (scalar.get().text().isEmpty()) {
            problems.error(node, Messages.emptyString());
            return Optional.empty();
        }
        Optional<T> value = parse.apply(scalar.get().text());
        if (value.isEmpty()) {
            problems.error(node, message.apply(show(scalar.get())));
        }
        return value;
    }

    Optional<Integer> positiveInt(YamlNode node) {
        return scalar(node, "an integer").flatMap(s -> {
            if (POSITIVE_INT.matcher(s.text()).matches()) {
                long value = Long.parseLong(s.text());
                if (value >= 1 && value <= Integer.MAX_VALUE) {
                    return Optional.of((int) value);
                }
            }
            problems.error(node, Messages.notPositiveInteger(show(s)));
            return Optional.empty();
        });
    }

    /** An integer from {@code min} to {@code max}, both included. */
    Optional<Integer> intInRange(YamlNode node, int min, int max) {
        return positiveInt(node).flatMap(value -> {
            if (value < min || value > max) {
                problems.error(node, Messages.outOfRange(show((YamlScalar) node), min, max));
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    /**
     * A directory the gateway will create files in: a relative path is taken from the config file's directory; it
     * must be an existing directory, or not exist yet with an existing parent directory (the gateway creates it).
     */
    Optional<Path> creatableDirectory(YamlNode node) {
        Optional<String> text = string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = baseDirectory.resolve(text.get()).normalize();
        String reason = FileChecks.unusableDirectoryReason(path);
        if (reason != null) {
            problems.error(node, Messages.notDataDirectory(show((YamlScalar) node), reason));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    Optional<Boolean> bool(YamlNode node) {
        return scalar(node, "a boolean").flatMap(s -> {
            if (s.text().equals(TRUE) || s.text().equals(FALSE)) {
                return Optional.of(s.text().equals(TRUE));
            }
            problems.error(node, Messages.notBoolean(show(s)));
            return Optional.empty();
        });
    }

    Optional<Duration> duration(YamlNode node) {
        return scalar(node, "a duration").flatMap(s -> {
            Optional<Duration> value = Durations.parse(s.text());
            if (value.isEmpty()) {
                problems.error(node, Messages.notDuration(show(s)));
            }
            return value;
        });
    }

    Optional<Long> byteSize(YamlNode node) {
        return scalar(node, "a size").flatMap(s -> {
            Optional<Long> value = ByteSizes.parse(s.text());
            if (value.isEmpty()) {
                problems.error(node, Messages.notSize(show(s)));
            }
            return value;
        });
    }

    Optional<Cidr> cidr(YamlNode node) {
        return scalar(node, "a CIDR").flatMap(s -> {
            try {
                return Optional.of(Cidr.parse(s.text()));
            } catch (IllegalArgumentException e) {
                problems.error(node, Messages.notCidr(show(s), cidrReason(s, e.getMessage())));
                return Optional.empty();
            }
        });
    }

    /** A route or rule host: an exact host or {@code *.domain}. */
    Optional<HostPattern> hostPattern(YamlNode node) {
        return parsed(node, h -> HostSyntax.hostPattern(h, true), Messages::notHost).map(HostPattern::new);
    }

    /**
     * A readable regular file; a relative path is taken from the config file's directory. The file is recorded
     * as referenced (for reload watching) even when it is unreadable now, since it may appear later.
     */
    Optional<Path> readableFile(YamlNode node) {
        return readableFile(node, true);
    }

    /**
     * Like {@link #readableFile(YamlNode)} but not recorded as referenced: for a file with its own reloader (the
     * users file), whose every change must not reload the whole config.
     */
    Optional<Path> readableUnwatchedFile(YamlNode node) {
        return readableFile(node, false);
    }

    private Optional<Path> readableFile(YamlNode node, boolean watch) {
        Optional<String> text = string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = baseDirectory.resolve(text.get()).normalize();
        if (watch) {
            referencedFiles.add(path);
        }
        String reason = FileChecks.unreadableReason(path);
        if (reason != null) {
            problems.error(node, Messages.fileNotReadable(show((YamlScalar) node), reason));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /**
     * A file the gateway will append to: a relative path is taken from the config file's directory; the file's
     * directory must exist and be writable, and the file, if it exists, must be a writable regular file. Not recorded
     * as referenced: the gateway writes it, and watching it would reload on every write.
     */
    Optional<Path> writableFile(YamlNode node) {
        Optional<String> text = string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = baseDirectory.resolve(text.get()).normalize();
        String reason = FileChecks.unwritableReason(path);
        if (reason != null) {
            problems.error(node, Messages.fileNotWritable(show((YamlScalar) node), reason));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    String show(YamlScalar scalar) {
        return ValueDisplay.show(scalar);
    }

    /** Cidr's "host bits are set; the network is …" would echo part of a secret value, so secrets get the first half. */
    private static String cidrReason(YamlScalar scalar, String reason) {
        int detail = reason.indexOf(';');
        return scalar.secret() && detail >= 0 ? reason.substring(0, detail) : reason;
    }

    private void reportWrongType(YamlNode node, String expected) {
        if (node instanceof YamlScalar scalar && scalar.kind() == YamlScalar.Kind.INVALID) {
            return; // already reported
        }
        problems.error(node, Messages.wrongType(expected, node.kindName()));
    }
}
