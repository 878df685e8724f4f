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
    static final String OUTCOME = "event.outcome";
    static final String REASON = "event.reason";
    static final String USER = "user.name";
    static final String SOURCE_IP = "source.ip";
    static final String DOMAIN = "url.domain";
    static final String METHOD = "http.request.method";
    static final String PATH = "url.path";
    static final String ROUTE = "route";
    static final String RULE = "rule.id";
    static final String SESSION_HASH = "session.hash";
    static final String REQUEST_ID = "request.id";
    static final String STATUS = "http.response.status_code";
    static final String FILE = "file.path";
    static final String ERROR_COUNT = "error.count";
    static final String EVENT_START = "event.start";
    static final String TARGET_USER = "user.target.name";
    static final String DETAIL = "event.detail";

    private static final byte NEWLINE = '\n';

    private final JsonFactory factory = new JsonFactory();

    /** Appends {@code event} stamped with {@code time}, and the newline that ends its line, to {@code out}. */
    void write(Instant time, AuditEvent event, ByteArrayOutputStream out) {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty(TIMESTAMP, time.toString());
            json.writeStringProperty(ACTION, event.action());
            json.writeStringProperty(OUTCOME, event.outcome().ecsValue());
            json.writeStringProperty(REASON, event.reason());
            if (event instanceof AccessDecision access) {
                writeAccess(json, access);
            } else if (event instanceof ConfigReload reload) {
                writeReload(json, reload);
            } else if (event instanceof SignInEvent signIn) {
                writeSignIn(json, signIn);
            } else if (event instanceof AdminCommand admin) {
                writeAdmin(json, admin);
            }
            json.writeEndObject();
        }
        out.write(NEWLINE);
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
