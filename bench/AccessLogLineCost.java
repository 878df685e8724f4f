import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.locks.LockSupport;
import org.portcullis.accesslog.AccessLogWriter;
import org.portcullis.config.AccessLogConfig;

/**
 * Per-line CPU of the access log (issue 21), apart from the proxy: one thread calls {@code record} as an event loop
 * would, PER_MS lines every millisecond (paced with parkNanos, so the real rate is lower on a busy machine), and the
 * thread CPU time of the caller and of the writer thread is divided by the lines. Four repetitions of LINES lines to a
 * file in a temp directory. Run from the repository root after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>java -cp gateway-core/target/portcullis.jar bench/AccessLogLineCost.java 30 150000</pre>
 */
public class AccessLogLineCost {
    public static void main(String[] args) throws Exception {
        int perMs = Integer.parseInt(args[0]);
        int lines = Integer.parseInt(args[1]);
        Path file = Files.createTempDirectory("linecost").resolve("access.log");
        AccessLogWriter writer = AccessLogWriter.open(AccessLogConfig.toFile(file), Clock.systemUTC());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long writerId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("portcullis-access-log")).findFirst().orElseThrow().getId();
        String[] ids = new String[1024];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = String.format("%016x", (long) (Math.random() * Long.MAX_VALUE));
        }
        for (int rep = 0; rep < 4; rep++) {
            long callerCpu = 0;
            long writerBefore = mx.getThreadCpuTime(writerId);
            long writtenBefore = writer.written();
            long droppedBefore = writer.dropped();
            long wallStart = System.nanoTime();
            for (int i = 0; i < lines; ) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int j = 0; j < perMs; j++, i++) {
                    writer.record(ids[i & 1023], "127.0.0.1", "GET", "127.0.0.1", "/1k.bin", 200, "bench",
                            "default_policy", "FORWARDED", 123);
                }
                callerCpu += mx.getCurrentThreadCpuTime() - t0;
                LockSupport.parkNanos(1_000_000);
            }
            LockSupport.parkNanos(1_500_000_000L); // let the writer's timed flush run
            long wall = System.nanoTime() - wallStart;
            long written = writer.written() - writtenBefore;
            long writerCpu = mx.getThreadCpuTime(writerId) - writerBefore;
            System.out.printf("rep %d: %d lines in %.1f s (%.0f/s), written %d, dropped %d; caller %.3f us/line, "
                            + "writer %.3f us/line%n", rep, lines, wall / 1e9, lines / (wall / 1e9), written,
                    writer.dropped() - droppedBefore, callerCpu / 1e3 / lines, writerCpu / 1e3 / Math.max(1, written));
        }
        writer.close();
        System.out.println("file bytes " + Files.size(file));
        Files.delete(file);
        Files.delete(file.getParent());
    }
}
