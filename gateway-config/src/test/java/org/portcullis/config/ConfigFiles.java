package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes YAML to a file in a temporary directory and loads it, returning what a user would read. */
final class ConfigFiles {
    /** Three lines: the smallest valid config. Anything appended starts on line 4. */
    static final String MINIMAL = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            """;

    private final Path directory;
    private final Map<String, String> environment;
    private String suffix = "";

    ConfigFiles(Path directory) {
        this(directory, Map.of());
    }

    ConfigFiles(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = environment;
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(directory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code sections} to every config written from now on (after the test's own lines). */
    ConfigFiles withSuffix(String sections) {
        this.suffix = sections;
        return this;
    }

    Path config(String yaml) {
        return write("portcullis.yml", yaml + suffix);
    }

    LoadedConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(environment).load(config(yaml));
    }

    /** Every error message of a config that must fail, as {@code toString()} lines. */
    List<String> errors(String yaml) {
        return errorsOf(config(yaml));
    }

    List<String> errorsOf(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(environment).load(file));
        assertThat(e).as("config should have failed to load").isNotNull();
        return e.errors().stream().map(ConfigProblem::toString).toList();
    }

    /**
     * The warnings other than the exception register's (weak rules without an exception, tested in
     * ExceptionRegisterTest), for tests of other warnings whose configs have bypass or one_factor rules.
     */
    static List<String> otherThanExceptionRegister(LoadedConfig loaded) {
        return loaded.warnings().stream().map(ConfigProblem::toString)
                .filter(w -> !w.contains("names no exception") && !w.contains("a default cannot name an exception"))
                .toList();
    }

    /** The single error of a failing config, in full ({@code FILE:LINE: path: message}). */
    String onlyError(String yaml) {
        List<String> errors = errors(yaml);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    /** What a problem on {@code line} of the config file reads like in full. */
    String at(int line, String pathAndMessage) {
        return file() + ":" + line + ": " + pathAndMessage;
    }

    Path file() {
        return directory.resolve("portcullis.yml");
    }
}
