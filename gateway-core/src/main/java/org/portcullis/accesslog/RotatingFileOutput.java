package org.portcullis.accesslog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.config.AuditConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's file ({@code server.access_log.file}), appended to ({@code O_APPEND}) and rotated like the audit
 * trail: {@code daily} starts a new file at the first line of a new UTC day, {@code size} once the file would pass
 * {@code max_size}, {@code never} keeps one file (rotate it from outside with {@code copytruncate}). A rotated file is
 * renamed beside the active one to {@code <stem>-<yyyyMMdd>-<NNNNNN><ext>} (the UTC day it was started, then a
 * counter), so a shell glob lists them in order.
 *
 * <p>Created {@code rw-------} (0600), as the audit trail and the store are: the log names every client address and
 * path, which is for the gateway's own user, not every local account. The mode is set at creation, so it holds
 * whatever the umask; an existing file others may read is tightened with a warning. A rotated file is the active file
 * renamed, so it keeps the mode.
 */
final class RotatingFileOutput implements AccessLogOutput {
    private static final Logger LOG = LoggerFactory.getLogger(RotatingFileOutput.class);
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Path active;
    private final AuditConfig.Rotation rotation;
    private final long maxSize;
    private FileChannel channel;
    private long fileBytes;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long NO_DAY = Long.MIN_VALUE;
    /** The UTC epoch day the active file was started (its first line, or its last change when opened), or NO_DAY. */
    private long firstDay = NO_DAY;

    private RotatingFileOutput(AccessLogConfig config) {
        this.active = config.file();
        this.rotation = config.rotation();
        this.maxSize = config.maxSize();
    }

    static RotatingFileOutput open(AccessLogConfig config) throws IOException {
        RotatingFileOutput output = new RotatingFileOutput(config);
        output.openActive();
        if (output.fileBytes > 0) {
            output.firstDay = Math.floorDiv(Files.getLastModifiedTime(output.active).toMillis(), MILLIS_PER_DAY);
        }
        return output;
    }

    private void openActive() throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Path directory = active.toAbsolutePath().getParent();
        if (!Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            channel = FileChannel.open(active, options);
        } else {
            channel = FileChannel.open(active, options, PosixFilePermissions.asFileAttribute(MODE));
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(active);
            if (!MODE.containsAll(mode)) {
                Files.setPosixFilePermissions(active, MODE);
                LOG.warn("access log {} was {}; set it to rw------- (the log is for the gateway's user only)",
                        active, PosixFilePermissions.toString(mode));
            }
        }
        fileBytes = channel.size();
        firstDay = NO_DAY;
    }

    @Override
    public boolean rotationDue(long epochMillis, int pendingBytes) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        boolean due = switch (rotation) {
            case DAILY -> firstDay != NO_DAY && day != firstDay;
            case SIZE -> fileBytes + pendingBytes >= maxSize;
            case NEVER -> false;
        };
        if (!due && firstDay == NO_DAY) {
            firstDay = day;
        }
        return due;
    }

    @Override
    public void write(LineBuffer pending) throws IOException {
        if (pending.size() == 0) {
            return;
        }
        int bytes = pending.size();
        try {
            pending.writeTo(channel);
        } finally {
            pending.reset();
        }
        fileBytes += bytes;
    }

    @Override
    public void rotate(long epochMillis) throws IOException {
        channel.close();
        Path target = rotatedName();
        try {
            Files.move(active, target);
        } catch (IOException e) {
            LOG.error("access log rotation: renaming {} to {} failed, keeps appending: {}", active, target,
                    e.toString());
        }
        openActive();
        firstDay = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    }

    /** The first free {@code <stem>-<day>-<NNNNNN><ext>} for the active file's day. */
    private Path rotatedName() {
        String name = active.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String day = DAY.format(LocalDate.ofEpochDay(firstDay));
        for (int n = 1; ; n++) {
            Path candidate = active.resolveSibling(stem + "-" + day + "-" + String.format("%06d", n) + extension);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
