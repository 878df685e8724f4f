package org.portcullis.config;

import java.util.List;
import java.util.Optional;

import org.portcullis.config.YamlNode.Entry;
import org.portcullis.config.YamlNode.YamlMap;

/**
 * One config mapping with a fixed set of keys. Creating it reports every unknown key, with a "did you mean" hint
 * for a near miss: a misspelt optional key would otherwise be ignored and its default used without a word.
 */
final class MappingView {
    private final YamlMap map;
    private final Problems problems;

    MappingView(YamlMap map, List<String> allowedKeys, Problems problems) {
        this.map = map;
        this.problems = problems;
        for (Entry entry : map.entries().values()) {
            if (!allowedKeys.contains(entry.key())) {
                String message = KeyHints.closest(entry.key(), allowedKeys)
                        .map(Messages::unknownKey)
                        .orElseGet(() -> Messages.unknownKey(allowedKeys));
                problems.error(entry.keyLine(), childPath(entry.key()), message);
            }
        }
    }

    YamlMap node() {
        return map;
    }

    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    Optional<YamlNode> get(String key) {
        return Optional.ofNullable(map.entries().get(key)).map(Entry::value);
    }

    /** The key's value, or empty after reporting it missing on the mapping's line. */
    Optional<YamlNode> require(String key) {
        Optional<YamlNode> value = get(key);
        if (value.isEmpty()) {
            problems.error(map.line(), childPath(key), Messages.missing());
        }
        return value;
    }

    String childPath(String key) {
        return map.path().isEmpty() ? key : map.path() + "." + key;
    }
}
