package org.portcullis.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit files are created {@code rw-------}, as the store is: a trail names who signed in, from where, and which
 * records they opened, which is for the gateway's own user and the auditors it hands files to, not every local
 * account. The mode is set at creation (not by a later {@code chmod}, which would leave a moment in which the file is
 * readable), so it holds whatever the umask. A rotated file is the live file renamed, so it keeps the mode; a gzip
 * copy is created with it. An existing live file that group or others may read (written by an older release) is
 * tightened when the writer opens it, with a warning. On a file system without POSIX modes the files are opened
 * as before.
 */
final class OwnerOnlyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /** Opens {@code file} for appending, creating it {@code rw-------}; tightens an existing file others may read. */
    static FileChannel openForAppend(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (!posix(file)) {
            return FileChannel.open(file, options);
        }
        FileChannel channel = FileChannel.open(file, options, ownerOnly());
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            Files.setPosixFilePermissions(file, MODE);
            LOG.warn("audit file {} was {}; set it to rw------- (the trail is for the gateway's user only)", file,
                    PosixFilePermissions.toString(mode));
        }
        return channel;
    }

    /** A new file for writing, created {@code rw-------} (a leftover of that name is replaced, mode and all). */
    static OutputStream newOutputStream(Path file) throws IOException {
        Files.deleteIfExists(file);
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (!posix(file)) {
            return Files.newOutputStream(file);
        }
        return Channels.newOutputStream(FileChannel.open(file, options, ownerOnly()));
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(MODE);
    }

    private static boolean posix(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        return Files.getFileStore(directory).supportsFileAttributeView("posix");
    }
}
