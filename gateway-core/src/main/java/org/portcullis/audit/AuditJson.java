package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Renders one event as one JSON object with Elastic Common Schema field names, written flat ({@code "url.path"}, as
 * ECS allows) so a line can be read with grep as well as by a log shipper. Jackson escapes every control character
 * (RFC 8259 §7), so no value can end a line or forge the next one. Absent values are left out rather than written as
 * null.
 */
final class AuditJson {
    static final String TIMESTAMP = "@timestamp";
    static final String ACTION = "event.action";
    /** ECS {@code service.node.name}: the cluster node whose trail this is ({@code audit.node_id}, issue 18). */
    static final String NODE = "service.node.name";
    static final String OUTCOME = "event.outcome";
    static final String REASON = "event.reason";
    static final String USER = "user.name";
    static final String SOURCE_IP = "source.ip";
    static final String DOMAIN = "url.domain";
    static final String METHOD = "http.request.method";
    static final String PATH = "url.path";
    static final String ROUTE = "route";
    static final String RULE = "rule.id";
    /** ECS-style name the audit issue asks for; the value is the session's one-way display hash, never the id. */
    static final String SESSION_HASH = "session.id";
    static final String FACTORS = "auth.factors";
    static final String REQUEST_ID = "request.id";
    static final String STATUS = "http.response.status_code";
    static final String FILE = "file.path";
    static final String ERROR_COUNT = "error.count";
    static final String EVENT_START = "event.start";
    static final String TARGET_USER = "user.target.name";
    static final String DETAIL = "event.detail";
    /** ECS {@code file.hash.sha256}: with {@code gateway.start}/{@code gateway.stop}, of the config file. */
    static final String FILE_SHA256 = "file.hash.sha256";
    /** ECS: the line's place in the trail, 1 for the first line ever written under a chain. */
    static final String SEQUENCE = "event.sequence";
    static final String EVENT_END = "event.end";
    /** ECS: nanoseconds. */
    static final String DURATION = "event.duration";
    /** ECS: what the stream reached (host and path, or host:port). */
    static final String DESTINATION = "destination.address";
    /** ECS {@code source.bytes}: bytes the client sent towards the destination. */
    static final String SOURCE_BYTES = "source.bytes";
    /** ECS {@code destination.bytes}: bytes the destination sent towards the client. */
    static final String DESTINATION_BYTES = "destination.bytes";
    /** ECS {@code network.protocol}: websocket, rdp, ssh, tcp. */
    static final String PROTOCOL = "network.protocol";
    /** Not ECS: each factor's age in seconds when the stream opened. */
    static final String FACTORS_AGE = "auth.factors_age";
    /** ECS {@code event.hash} ("to demonstrate log integrity"): the line's HMAC-SHA256, 64 hex digits, always last. */
    static final String HASH = "event.hash";
    /** Not ECS: on the first line of each file, the hash of the line before it (64 zeros for the very first). */
    static final String PREVIOUS_HASH = "chain.previous_hash";
    /** Not ECS: on the first line of each file, the id of the key the file is signed with. */
    static final String KEY_ID = "chain.key_id";
    static final String TORN_BYTES = "chain.torn_bytes";
    static final String TORN_SHA256 = "chain.torn_sha256";

    private final JsonFactory factory = new JsonFactory();

    /**
     * Writes {@code event} stamped with {@code time} as one JSON object (no newline) ending in its chain fields:
     * {@code event.sequence}, and on a file's first line {@code chain.previous_hash} and {@code chain.key_id} (both
     * null otherwise). {@link AuditChain} appends {@code event.hash} after them.
     */
    void write(Instant time, AuditEvent event, String nodeId, long sequence, String previousHash, String keyId,
               ByteArrayOutputStream out) {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty(TIMESTAMP, time.toString());
            if (nodeId != null) {
                json.writeStringProperty(NODE, nodeId);
            }
            json.writeStringProperty(ACTION, event.action());
            json.writeStringProperty(OUTCOME, event.outcome().ecsValue());
            json.writeStringProperty(REASON, event.reason());
            if (event instanceof AccessDecision access) {
                writeAccess(json, access);
            } else if (event instanceof ConfigReload reload) {
                writeReload(json, reload);
            } else if (event instanceof SignInEvent signIn) {
                writeSignIn(json, signIn);
            } else if (event instanceof AuditRecovered recovered) {
                writeRecovered(json, recovered);
            } else if (event instanceof AdminCommand admin) {
                writeAdmin(json, admin);
            } else if (event instanceof RemoteAccess remote) {
                writeRemote(json, remote);
            } else if (event instanceof GatewayLifecycle lifecycle) {
                optional(json, FILE, lifecycle.configFile());
                optional(json, FILE_SHA256, lifecycle.configSha256());
                optional(json, DETAIL, lifecycle.detail());
            }
            json.writeNumberProperty(SEQUENCE, sequence);
            optional(json, PREVIOUS_HASH, previousHash);
            optional(json, KEY_ID, keyId);
            json.writeEndObject();
        }
    }

    private static void writeRecovered(JsonGenerator json, AuditRecovered recovered) {
        json.writeStringProperty(FILE, recovered.file());
        json.writeNumberProperty(TORN_BYTES, recovered.tornBytes());
        json.writeStringProperty(TORN_SHA256, recovered.tornSha256());
    }

    private static void writeAccess(JsonGenerator json, AccessDecision access) {
        optional(json, USER, access.user());
        json.writeStringProperty(SOURCE_IP, access.sourceIp());
        optional(json, DOMAIN, access.host());
        optional(json, METHOD, access.method());
        optional(json, PATH, access.path());
        optional(json, ROUTE, access.route());
        optional(json, RULE, access.ruleId());
        optional(json, SESSION_HASH, access.sessionHash());
        if (!access.factors().isEmpty()) {
            // One string, not an array: a sealed line holds scalar fields only, which audit verify and query read.
            json.writeStringProperty(FACTORS, String.join(",", access.factors()));
        }
        json.writeStringProperty(REQUEST_ID, access.requestId());
        json.writeNumberProperty(STATUS, access.status());
    }

    private static void writeSignIn(JsonGenerator json, SignInEvent event) {
        optional(json, USER, event.user());
        optional(json, SOURCE_IP, event.sourceIp());
        optional(json, DOMAIN, event.host());
        optional(json, SESSION_HASH, event.sessionHash());
        optional(json, REQUEST_ID, event.requestId());
    }

    private static void writeRemote(JsonGenerator json, RemoteAccess remote) {
        optional(json, USER, remote.user());
        optional(json, SOURCE_IP, remote.sourceIp());
        optional(json, SESSION_HASH, remote.sessionHash());
        json.writeStringProperty(PROTOCOL, remote.kind());
        optional(json, DESTINATION, remote.target());
        optional(json, ROUTE, remote.route());
        if (!remote.factors().isEmpty()) {
            json.writeStringProperty(FACTORS, String.join(",", remote.factors()));
        }
        optional(json, FACTORS_AGE, remote.factorsAge());
        json.writeStringProperty(EVENT_START, remote.openedAt().toString());
        if (remote.closedAt() != null) {
            json.writeStringProperty(EVENT_END, remote.closedAt().toString());
            json.writeNumberProperty(DURATION, remote.duration().toNanos());
            json.writeNumberProperty(SOURCE_BYTES, remote.bytesFromClient());
            json.writeNumberProperty(DESTINATION_BYTES, remote.bytesToClient());
        }
    }

    private static void writeAdmin(JsonGenerator json, AdminCommand admin) {
        json.writeStringProperty(EVENT_START, admin.at().toString());
        json.writeStringProperty(USER, admin.actor());
        optional(json, TARGET_USER, admin.target());
        optional(json, DETAIL, admin.detail());
    }

    private static void writeReload(JsonGenerator json, ConfigReload reload) {
        json.writeStringProperty(FILE, reload.file());
        json.writeNumberProperty(ERROR_COUNT, reload.errorCount());
    }

    private static void optional(JsonGenerator json, String name, String value) {
        if (value != null) {
            json.writeStringProperty(name, value);
        }
    }
}
