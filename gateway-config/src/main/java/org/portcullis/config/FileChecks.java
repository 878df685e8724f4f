package org.portcullis.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Short, stable reasons why a file cannot be used, for messages ("no such file", not a stack trace). */
final class FileChecks {
    static final String NO_SUCH_FILE = "no such file";
    static final String IS_DIRECTORY = "is a directory";
    static final String PERMISSION_DENIED = "permission denied";
    static final String NO_SUCH_DIRECTORY = "no such directory";
    static final String NOT_A_DIRECTORY = "not a directory";
    static final String NO_SUCH_PARENT_DIRECTORY = "no such parent directory";

    private FileChecks() {
    }

    /** Null when {@code path} is a readable regular file, otherwise why not. */
    static String unreadableReason(Path path) {
        if (!Files.exists(path)) {
            return NO_SUCH_FILE;
        }
        if (Files.isDirectory(path)) {
            return IS_DIRECTORY;
        }
        if (!Files.isReadable(path)) {
            return PERMISSION_DENIED;
        }
        return null;
    }

    /** Null when {@code path} can be created or appended to, otherwise why not. */
    static String unwritableReason(Path path) {
        Path directory = path.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return NO_SUCH_DIRECTORY;
        }
        if (Files.isDirectory(path)) {
            return IS_DIRECTORY;
        }
        if (Files.exists(path) ? !Files.isWritable(path) : !Files.isWritable(directory)) {
            return PERMISSION_DENIED;
        }
        return null;
    }

    /** Null when {@code path} is a directory, or does not exist and its parent directory does; otherwise why not. */
    static String unusableDirectoryReason(Path path) {
        if (Files.exists(path)) {
            return Files.isDirectory(path) ? null : NOT_A_DIRECTORY;
        }
        Path parent = path.getParent();
        return parent != null && Files.isDirectory(parent) ? null : NO_SUCH_PARENT_DIRECTORY;
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return NO_SUCH_FILE;
        }
        if (e instanceof AccessDeniedException) {
            return PERMISSION_DENIED;
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : ValueDisplay.escape(message);
    }

    /** The file as UTF-8 text, or empty after reporting why it cannot be read (line 0: no line is to blame). */
    static Optional<String> readUtf8(Path file, Problems problems) {
        String reason = unreadableReason(file);
        if (reason != null) {
            problems.error(0, Messages.PATH_FILE, Messages.cannotRead(reason));
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            problems.error(0, Messages.PATH_FILE, Messages.cannotRead("not UTF-8 text"));
        } catch (IOException e) {
            problems.error(0, Messages.PATH_FILE, Messages.cannotRead(describe(e)));
        }
        return Optional.empty();
    }
}
