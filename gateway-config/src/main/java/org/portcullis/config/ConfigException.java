package org.portcullis.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config file has one or more errors; carries all of them, in file order. */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> errors;
    private final List<ConfigProblem> warnings;

    public ConfigException(List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        super(errors.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public List<ConfigProblem> errors() {
        return errors;
    }

    public List<ConfigProblem> warnings() {
        return warnings;
    }
}
