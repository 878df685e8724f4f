package org.portcullis.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Checks {@code limits}: every key optional, each missing one taken from {@link LimitsConfig#defaults()}. */
final class LimitsValidator {
    static final String MAX_REQUEST_LINE_BYTES = "max_request_line_bytes";
    static final String MAX_HEADER_BYTES = "max_header_bytes";
    static final String MAX_HEADERS = "max_headers";
    static final String MAX_BODY_BYTES = "max_body_bytes";
    static final String HEADER_READ_TIMEOUT = "header_read_timeout";
    static final String BODY_READ_TIMEOUT = "body_read_timeout";
    static final String BODY_MIN_RATE = "body_min_rate";
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final String MAX_CONNECTIONS_PER_ADDRESS = "max_connections_per_address";
    static final String UPSTREAM_CONNECT_TIMEOUT = "upstream_connect_timeout";
    static final String MAX_UPSTREAM_CONNECTIONS = "max_upstream_connections";
    static final List<String> KEYS = List.of(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, MAX_HEADERS, MAX_BODY_BYTES,
            HEADER_READ_TIMEOUT, BODY_READ_TIMEOUT, BODY_MIN_RATE, IDLE_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS,
            UPSTREAM_CONNECT_TIMEOUT, MAX_UPSTREAM_CONNECTIONS);

    private final NodeReader reader;

    LimitsValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<LimitsConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        LimitsConfig d = LimitsConfig.defaults();
        int before = reader.problems().errorCount();
        MappingView limits = view.get();
        LimitsConfig result = new LimitsConfig(
                read(limits, MAX_REQUEST_LINE_BYTES, reader::positiveInt, d.maxRequestLineBytes()),
                read(limits, MAX_HEADER_BYTES, reader::positiveInt, d.maxHeaderBytes()),
                read(limits, MAX_HEADERS, reader::positiveInt, d.maxHeaders()),
                read(limits, MAX_BODY_BYTES, reader::byteSize, d.maxBodyBytes()),
                read(limits, HEADER_READ_TIMEOUT, reader::duration, d.headerReadTimeout()),
                read(limits, BODY_READ_TIMEOUT, reader::duration, d.bodyReadTimeout()),
                read(limits, BODY_MIN_RATE, reader::byteSize, d.bodyMinBytesPerSecond()),
                read(limits, IDLE_TIMEOUT, reader::duration, d.idleTimeout()),
                read(limits, MAX_CONNECTIONS_PER_ADDRESS, reader::positiveInt, d.maxConnectionsPerAddress()),
                read(limits, UPSTREAM_CONNECT_TIMEOUT, reader::duration, d.upstreamConnectTimeout()),
                read(limits, MAX_UPSTREAM_CONNECTIONS, reader::positiveInt, d.maxUpstreamConnections()));
        return reader.problems().errorCount() == before ? Optional.of(result) : Optional.empty();
    }

    /** The key's value, or the model default when it is absent (or wrong: then the error already fails the load). */
    private static <T> T read(MappingView limits, String key, Function<YamlNode, Optional<T>> parse, T fallback) {
        return limits.get(key).flatMap(parse).orElse(fallback);
    }
}
