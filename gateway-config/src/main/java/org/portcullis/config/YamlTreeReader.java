package org.portcullis.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.portcullis.config.YamlNode.Entry;
import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlMap;
import org.portcullis.config.YamlNode.YamlScalar;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads YAML text into a {@link YamlNode} tree with a line for every node, using Jackson's streaming YAML parser.
 *
 * <p>Besides YAML syntax it rejects what a lenient loader would silently accept: a key written twice in one
 * mapping (the second would win unnoticed), aliases (Jackson's plain parser would turn {@code *name} into the string
 * "name"; they are also the billion-laughs vector) and more than one document. String values are passed through
 * {@link ReferenceResolver} here, where the path of each value is known.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;
    private final ReferenceResolver resolver;

    YamlTreeReader(Problems problems, ReferenceResolver resolver) {
        this.problems = problems;
        this.resolver = resolver;
    }

    /** The root node (an empty mapping for an empty file), or null after a syntax error, which is then reported. */
    YamlNode read(String yaml) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), new StringReader(yaml))) {
            if (parser.nextToken() == null) {
                return new YamlMap("", 1, Map.of());
            }
            YamlNode root = readNode(parser, "", -1);
            if (parser.nextToken() != null) {
                problems.error(line(parser), Messages.PATH_YAML, Messages.moreThanOneDocument());
            }
            return root;
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            problems.error(line, Messages.PATH_YAML, Messages.syntaxError(summarise(e.getOriginalMessage())));
            return null;
        }
    }

    private YamlNode readNode(JsonParser parser, String path, int keyLine) {
        int line = line(parser);
        int nodeLine = keyLine > 0 ? keyLine : line;
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.error(line, path, Messages.aliasNotSupported());
            return new YamlScalar(path, line, YamlScalar.Kind.INVALID, "", false);
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readMap(parser, path, nodeLine);
            case START_ARRAY:
                return readList(parser, path, nodeLine);
            case VALUE_STRING:
                return readString(parser.getString(), path, line);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new YamlScalar(path, line, YamlScalar.Kind.NUMBER, parser.getString(), false);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlScalar(path, line, YamlScalar.Kind.BOOLEAN, parser.getString(), false);
            case VALUE_NULL:
                return new YamlScalar(path, line, YamlScalar.Kind.NULL, "", false);
            default:
                // Embedded binary (!!binary) and the like: nothing in this config is written that way.
                return new YamlScalar(path, line, YamlScalar.Kind.STRING, String.valueOf(parser.getString()), false);
        }
    }

    private YamlMap readMap(JsonParser parser, String path, int line) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = parser.currentName();
            int keyLine = line(parser);
            String childPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            YamlNode value = readNode(parser, childPath, keyLine);
            Entry first = entries.get(key);
            if (first != null) {
                problems.error(keyLine, childPath, Messages.duplicateKey(first.keyLine()));
            } else {
                entries.put(key, new Entry(key, keyLine, value));
            }
        }
        return new YamlMap(path, line, entries);
    }

    private YamlList readList(JsonParser parser, String path, int line) {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readNode(parser, path + "[" + items.size() + "]", -1));
        }
        return new YamlList(path, line, items);
    }

    private YamlScalar readString(String text, String path, int line) {
        ReferenceResolver.Resolution resolved = resolver.resolve(text);
        if (resolved.error() != null) {
            problems.error(line, path, resolved.error());
            return new YamlScalar(path, line, YamlScalar.Kind.INVALID, "", false);
        }
        return new YamlScalar(path, line, YamlScalar.Kind.STRING, resolved.value(), resolved.secret());
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    /**
     * SnakeYAML messages span several lines with context and a caret; keep the problem statements only
     * ("while parsing a flow sequence; expected ',' or ']', but got :").
     */
    static String summarise(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        String summary = message.lines()
                .filter(l -> !l.isBlank() && !l.startsWith(" "))
                .map(String::strip)
                .collect(Collectors.joining("; "));
        return ValueDisplay.escape(summary.isEmpty() ? message.strip() : summary);
    }
}
