package org.portcullis.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks {@code totp}: every key optional, each missing one taken from {@link TotpConfig#defaults()}.
 * {@code algorithm} is one of {@code SHA1}, {@code SHA256}, {@code SHA512} (as written in {@code otpauth://} URIs);
 * {@code digits} 6 or 8; {@code period} a duration of whole seconds from 15s to 120s; {@code window} 0 or 1, since
 * RFC 6238 §5.2 recommends accepting at most one step either side and every extra step is another code an attacker
 * may guess.
 */
final class TotpValidator {
    static final String ALGORITHM = "algorithm";
    static final String DIGITS = "digits";
    static final String PERIOD = "period";
    static final String WINDOW = "window";
    static final List<String> KEYS = List.of(ALGORITHM, DIGITS, PERIOD, WINDOW);

    private final NodeReader reader;

    TotpValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<TotpConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        TotpConfig d = TotpConfig.defaults();
        int before = reader.problems().errorCount();
        MappingView totp = view.get();
        TotpConfig.Algorithm algorithm = read(totp, ALGORITHM, this::algorithm, d.algorithm());
        int digits = read(totp, DIGITS, this::digits, d.digits());
        Duration period = read(totp, PERIOD, this::period, d.period());
        int window = read(totp, WINDOW, this::window, d.window());
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new TotpConfig(algorithm, digits, period, window));
    }

    private Optional<TotpConfig.Algorithm> algorithm(YamlNode node) {
        return reader.parsed(node, text -> Arrays.stream(TotpConfig.Algorithm.values())
                .filter(a -> a.name().equals(text)).findFirst(), Messages::notTotpAlgorithm);
    }

    private Optional<Integer> digits(YamlNode node) {
        return reader.parsed(node, text -> text.equals("6") ? Optional.of(TotpConfig.DEFAULT_DIGITS)
                : text.equals("8") ? Optional.of(TotpConfig.LONG_DIGITS) : Optional.empty(), Messages::notTotpDigits);
    }

    private Optional<Integer> window(YamlNode node) {
        return reader.parsed(node, text -> text.equals("0") ? Optional.of(0)
                : text.equals("1") ? Optional.of(TotpConfig.MAX_WINDOW) : Optional.empty(), Messages::notTotpWindow);
    }

    private Optional<Duration> period(YamlNode node) {
        return reader.duration(node).flatMap(period -> {
            if (!TotpConfig.wholeSecondsInRange(period)) {
                reader.problems().error(node, Messages.notTotpPeriod(reader.show((YamlNode.YamlScalar) node)));
                return Optional.empty();
            }
            return Optional.of(period);
        });
    }

    /** The key's value, or the model default when it is absent (or wrong: then the error already fails the load). */
    private static <T> T read(MappingView section, String key, Function<YamlNode, Optional<T>> parse, T fallback) {
        return section.get(key).flatMap(parse).orElse(fallback);
    }
}
