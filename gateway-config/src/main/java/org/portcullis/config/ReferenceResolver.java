package org.portcullis.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/absolute/path}} string values, so secrets need not be written into
 * the config file. A reference must be the whole value: anything else containing {@code ${} is an error rather than
 * a literal, because a half-substituted value (a URL with {@code ${env:X}} inside) would otherwise pass silently.
 * File contents lose one trailing newline, since editors and {@code echo} add one.
 */
final class ReferenceResolver {
    private static final String MARKER = "${";
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern FILE = Pattern.compile("\\$\\{file:([^}]+)}");
    /** Secrets are short; this only stops a mistyped path (a disk image, /dev/zero) from filling the heap. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    /** The outcome: a value (secret when it came from a reference) or an error message. */
    record Resolution(String value, boolean secret, String error) {
        static Resolution literal(String value) {
            return new Resolution(value, false, null);
        }

        static Resolution secret(String value) {
            return new Resolution(value, true, null);
        }

        static Resolution failed(String error) {
            return new Resolution(null, false, error);
        }
    }

    private final Map<String, String> environment;
    private final Set<Path> referencedFiles;

    ReferenceResolver(Map<String, String> environment, Set<Path> referencedFiles) {
        this.environment = environment;
        this.referencedFiles = referencedFiles;
    }

    Resolution resolve(String text) {
        if (!text.contains(MARKER)) {
            return Resolution.literal(text);
        }
        Matcher env = ENV.matcher(text);
        if (env.matches()) {
            String value = environment.get(env.group(1));
            return value == null ? Resolution.failed(Messages.envNotSet(env.group(1))) : Resolution.secret(value);
        }
        Matcher file = FILE.matcher(text);
        if (file.matches()) {
            return readFile(file.group(1));
        }
        return Resolution.failed(Messages.badReference("'" + ValueDisplay.escape(text) + "'"));
    }

    private Resolution readFile(String pathText) {
        String shown = ValueDisplay.escape(pathText);
        Path path = Path.of(pathText);
        if (!path.isAbsolute()) {
            return Resolution.failed(Messages.fileReferenceNotAbsolute(shown));
        }
        String problem = FileChecks.unreadableReason(path);
        if (problem != null) {
            return Resolution.failed(Messages.fileReferenceUnreadable(shown, problem));
        }
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                return Resolution.failed(Messages.fileReferenceUnreadable(shown, "larger than 1 MiB"));
            }
            byte[] bytes = Files.readAllBytes(path);
            String content = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            referencedFiles.add(path.normalize());
            return Resolution.secret(withoutTrailingNewline(content));
        } catch (CharacterCodingException e) {
            return Resolution.failed(Messages.fileReferenceUnreadable(shown, "not UTF-8 text"));
        } catch (IOException e) {
            return Resolution.failed(Messages.fileReferenceUnreadable(shown, FileChecks.describe(e)));
        }
    }

    static String withoutTrailingNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        if (content.endsWith("\n")) {
            return content.substring(0, content.length() - 1);
        }
        return content;
    }
}
