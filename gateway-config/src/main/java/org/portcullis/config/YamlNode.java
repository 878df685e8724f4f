package org.portcullis.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny YAML tree that remembers where each node came from. Jackson's own tree ({@code JsonNode}) forgets
 * locations, and a config error without a line number is half an error message, so {@link YamlTreeReader} builds
 * this instead.
 *
 * <p>{@code path} is the dotted config path of the node ({@code routes[0].upstream}, empty for the root);
 * {@code line} is 1-based: the line of the key for a mapping or list held by a key, otherwise the node's own line.
 */
sealed interface YamlNode permits YamlNode.YamlMap, YamlNode.YamlList, YamlNode.YamlScalar {

    String path();

    int line();

    /** How the node is named in "must be X, not Y" messages. */
    String kindName();

    /** One key of a mapping with the line the key is written on. */
    record Entry(String key, int keyLine, YamlNode value) {
    }

    record YamlMap(String path, int line, Map<String, Entry> entries) implements YamlNode {
        public YamlMap {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kindName() {
            return "a mapping";
        }
    }

    record YamlList(String path, int line, List<YamlNode> items) implements YamlNode {
        public YamlList {
            items = List.copyOf(items);
        }

        @Override
        public String kindName() {
            return "a list";
        }
    }

    /**
     * A scalar as text. {@code secret} marks values that came from {@code ${env:…}} or {@code ${file:…}}: they are
     * never shown in messages. {@link Kind#INVALID} marks a value whose error was already reported (an alias, an
     * unresolvable reference), so readers skip it silently instead of piling a second error on it.
     */
    record YamlScalar(String path, int line, Kind kind, String text, boolean secret) implements YamlNode {
        enum Kind {
            STRING("a string"), NUMBER("a number"), BOOLEAN("a boolean"), NULL("null"), INVALID("an invalid value");

            private final String displayName;

            Kind(String displayName) {
                this.displayName = displayName;
            }
        }

        @Override
        public String kindName() {
            return kind.displayName;
        }
    }
}
