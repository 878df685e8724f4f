package org.portcullis.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of requests the gateway refused because something on its side failed (the session store did
 * not answer, the identity headers or assertion could not be made, a portal endpoint threw). Every such refusal is
 * audited; this log says "something is broken" without flooding: at most one line per cause per
 * {@link #WINDOW}, naming the request id of the first refusal in the window, the cause, and how many refusals of the
 * same cause the previous window suppressed.
 *
 * <p>The cause is a fixed code plus exception class names, never an exception message or a request value, so no
 * cookie, token or password can reach the log through it (SECURITY-RULES 20). Time comes from the runtime's clock.
 */
public final class RefusalLog {
    static final Duration WINDOW = Duration.ofSeconds(1);
    /** Causes are a handful of codes times exception classes; a bound keeps a bug from growing the map forever. */
    private static final int MAX_CAUSES = 256;
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RefusalLog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Notes one refusal: {@code code} is the refusal's fixed code, {@code error} what failed (may be null).
     *
     * @return true if this refusal wrote a line
     */
    public boolean refused(String requestId, String code, Throwable error) {
        String cause = cause(code, error);
        if (windows.size() > MAX_CAUSES) {
            windows.clear();
        }
        Window window = windows.computeIfAbsent(cause, c -> new Window());
        long suppressed = window.admit(clock.instant());
        if (suppressed < 0) {
            return false;
        }
        if (suppressed == 0) {
            LOG.warn("refused request {} (fail closed): {}", requestId, cause);
        } else {
            LOG.warn("refused request {} (fail closed): {} ({} more refused for the same cause since the last line)",
                    requestId, cause, suppressed);
        }
        return true;
    }

    /** {@code code}, then the class of the error and of each cause under it: what failed, never a message. */
    static String cause(String code, Throwable error) {
        StringBuilder text = new StringBuilder(code);
        Throwable first = error;
        // A future's wrapper says nothing about what failed; what it wraps does.
        while (first instanceof java.util.concurrent.CompletionException && first.getCause() != null) {
            first = first.getCause();
        }
        int depth = 0;
        for (Throwable t = first; t != null && depth < 4; t = t.getCause(), depth++) {
            text.append(depth == 0 ? ": " : " <- ").append(t.getClass().getSimpleName());
        }
        return text.toString();
    }

    /** One cause's window: the first refusal after the window closed writes; the others are counted. */
    private static final class Window {
        private Instant opened;
        private long suppressed;

        /** The count to report if this refusal writes a line, or -1 if it is suppressed. */
        synchronized long admit(Instant now) {
            if (opened != null && now.isBefore(opened.plus(WINDOW)) && !now.isBefore(opened)) {
                suppressed++;
                return -1;
            }
            long report = suppressed;
            opened = now;
            suppressed = 0;
            return report;
        }
    }
}
