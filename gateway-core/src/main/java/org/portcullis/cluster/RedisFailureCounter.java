package org.portcullis.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.FailureCounter;
import org.portcullis.regulation.FailureLimit;
import org.portcullis.regulation.FailureState;
import org.portcullis.regulation.Subject;

/**
 * {@link FailureCounter} in Redis, for the per-address sign-in counters every node must count together
 * ({@code regulation.SplitFailureCounter} keeps the per-account ones, with their unlock and their 100-failure cap,
 * in the durable store). Same sliding log as {@code SqliteFailureCounter}: a hash per subject,
 * {@code <prefix>lockout:COUNTER:KIND:SUBJECT}, with the times of the failures still in the window ({@code r}), the
 * consecutive count ({@code c}), the lock's end ({@code l}) and the last failure ({@code f}), all in epoch ms.
 *
 * <p>{@link #recordFailure} is one Lua script, which Redis runs atomically: parallel failures on any nodes all count.
 * Each write sets the key's TTL to the longer of the window and the lockout, after which nothing in it still counts;
 * that is the whole purge ({@link #purgeIdleAddresses} has nothing left to do).
 */
public final class RedisFailureCounter implements FailureCounter {
    private static final String RECORD = """
            local now = tonumber(ARGV[1])
            local oldest = now - tonumber(ARGV[2])
            local max = tonumber(ARGV[3])
            local r = redis.call('HGET', KEYS[1], 'r') or ''
            local c = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
            local l = tonumber(redis.call('HGET', KEYS[1], 'l') or '0')
            local recent = {}
            for t in string.gmatch(r, '[^,]+') do
              local v = tonumber(t)
              if v > oldest and v <= now then table.insert(recent, t) end
            end
            table.insert(recent, ARGV[1])
            while #recent > max do table.remove(recent, 1) end
            c = c + 1
            if #recent >= max then
              l = math.max(l, now + tonumber(ARGV[4]))
              recent = {}
            end
            redis.call('HSET', KEYS[1], 'r', table.concat(recent, ','), 'c', string.format('%d', c),
              'l', string.format('%d', l), 'f', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return {#recent, c, l}
            """;

    private final RedisConnections redis;

    public RedisFailureCounter(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public FailureState state(CounterKind kind, Subject subject) {
        List<String> fields = redis.sync().hmget(key(kind, subject), "r", "c", "l").stream()
                .map(value -> value.getValueOrElse(null)).toList();
        if (fields.get(1) == null) {
            return FailureState.NONE;
        }
        String recent = fields.get(0) == null ? "" : fields.get(0);
        int count = recent.isEmpty() ? 0 : recent.split(",").length;
        return new FailureState(count, Long.parseLong(fields.get(1)),
                Instant.ofEpochMilli(fields.get(2) == null ? 0 : Long.parseLong(fields.get(2))));
    }

    @Override
    public FailureState recordFailure(CounterKind kind, Subject subject, Instant now, FailureLimit limit) {
        long ttl = Math.max(limit.window().toMillis(), limit.lockout().toMillis());
        List<Object> result = redis.sync().eval(RECORD, ScriptOutputType.MULTI, new String[] {key(kind, subject)},
                Long.toString(now.toEpochMilli()), Long.toString(limit.window().toMillis()),
                Integer.toString(limit.maxFailures()), Long.toString(limit.lockout().toMillis()), Long.toString(ttl));
        return new FailureState(((Long) result.get(0)).intValue(), (Long) result.get(1),
                Instant.ofEpochMilli((Long) result.get(2)));
    }

    @Override
    public void reset(CounterKind kind, Subject subject) {
        redis.sync().del(key(kind, subject));
    }

    @Override
    public int resetAccountEverywhere(String canonicalAccount) {
        int cleared = 0;
        for (CounterKind kind : CounterKind.values()) {
            cleared += redis.sync().del(key(kind, Subject.account(canonicalAccount))).intValue();
        }
        return cleared;
    }

    @Override
    public int purgeIdleAddresses(Instant now, Instant idleSince) {
        return 0; // every key carries its TTL
    }

    private String key(CounterKind kind, Subject subject) {
        return redis.key("lockout:" + kind.storedName() + ":" + subject.kind().storedName() + ":" + subject.value());
    }
}
