package org.portcullis.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks {@code lockout}: every key optional, each missing one taken from {@link LockoutConfig#defaults()}.
 * {@code max_consecutive_failures} is at most {@value LockoutConfig#MAX_CONSECUTIVE_FAILURES_CAP} (NIST SP 800-63B
 * §5.2.2, SECURITY-RULES 13), and {@code max_failures} at most {@code max_consecutive_failures}: a window limit
 * above the hard cap could never trigger.
 */
final class LockoutValidator {
    static final String MAX_FAILURES = "max_failures";
    static final String WINDOW = "window";
    static final String LOCK_FOR = "lock_for";
    static final String MAX_CONSECUTIVE_FAILURES = "max_consecutive_failures";
    static final String ADDRESS_MAX_FAILURES = "address_max_failures";
    static final String ADDRESS_WINDOW = "address_window";
    static final String ADDRESS_LOCK_FOR = "address_lock_for";
    static final List<String> KEYS = List.of(MAX_FAILURES, WINDOW, LOCK_FOR, MAX_CONSECUTIVE_FAILURES,
            ADDRESS_MAX_FAILURES, ADDRESS_WINDOW, ADDRESS_LOCK_FOR);

    private final NodeReader reader;

    LockoutValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<LockoutConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        LockoutConfig d = LockoutConfig.defaults();
        int before = reader.problems().errorCount();
        MappingView lockout = view.get();
        int maxFailures = read(lockout, MAX_FAILURES, reader::positiveInt, d.maxFailures());
        int maxConsecutive = read(lockout, MAX_CONSECUTIVE_FAILURES,
                n -> reader.intInRange(n, 1, LockoutConfig.MAX_CONSECUTIVE_FAILURES_CAP), d.maxConsecutiveFailures());
        var window = read(lockout, WINDOW, reader::duration, d.window());
        var lockFor = read(lockout, LOCK_FOR, reader::duration, d.lockFor());
        int addressMaxFailures = read(lockout, ADDRESS_MAX_FAILURES,
                n -> reader.intInRange(n, 1, LockoutConfig.MAX_ADDRESS_FAILURES_CAP), d.addressMaxFailures());
        var addressWindow = read(lockout, ADDRESS_WINDOW, reader::duration, d.addressWindow());
        var addressLockFor = read(lockout, ADDRESS_LOCK_FOR, reader::duration, d.addressLockFor());
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        if (maxFailures > maxConsecutive) {
            YamlNode blamed = lockout.get(MAX_FAILURES).or(() -> lockout.get(MAX_CONSECUTIVE_FAILURES)).orElse(node);
            reader.problems().error(blamed, Messages.moreThanConsecutive(maxFailures, maxConsecutive));
            return Optional.empty();
        }
        return Optional.of(new LockoutConfig(maxFailures, window, lockFor, maxConsecutive, addressMaxFailures,
                addressWindow, addressLockFor));
    }

    /** The key's value, or the model default when it is absent (or wrong: then the error already fails the load). */
    private static <T> T read(MappingView section, String key, Function<YamlNode, Optional<T>> parse, T fallback) {
        return section.get(key).flatMap(parse).orElse(fallback);
    }
}
