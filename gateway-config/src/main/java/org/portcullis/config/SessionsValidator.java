package org.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code sessions}: both timeouts optional (defaults from {@link SessionsConfig#defaults()}), and the idle
 * timeout no longer than the absolute one, since a longer idle timeout could never take effect and hints at swapped
 * values.
 */
final class SessionsValidator {
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final String ABSOLUTE_TIMEOUT = "absolute_timeout";
    static final List<String> KEYS = List.of(IDLE_TIMEOUT, ABSOLUTE_TIMEOUT);

    private final NodeReader reader;

    SessionsValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<SessionsConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlNode> idleNode = view.get().get(IDLE_TIMEOUT);
        Optional<YamlNode> absoluteNode = view.get().get(ABSOLUTE_TIMEOUT);
        Optional<Duration> idle = idleNode.isPresent()
                ? idleNode.flatMap(reader::duration) : Optional.of(SessionsConfig.DEFAULT_IDLE);
        Optional<Duration> absolute = absoluteNode.isPresent()
                ? absoluteNode.flatMap(reader::duration) : Optional.of(SessionsConfig.DEFAULT_ABSOLUTE);
        if (idle.isEmpty() || absolute.isEmpty()) {
            return Optional.empty();
        }
        if (idle.get().compareTo(absolute.get()) > 0) {
            YamlNode blamed = idleNode.or(() -> absoluteNode).orElse(node);
            reader.problems().error(blamed, Messages.idleLongerThanAbsolute(Durations.format(idle.get()),
                    Durations.format(absolute.get())));
            return Optional.empty();
        }
        return Optional.of(new SessionsConfig(idle.get(), absolute.get()));
    }
}
