package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** The JSON twin of {@link EvidenceHtml}: the same facts, for tools. */
public final class EvidenceJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EvidenceJson() {
    }

    public static String render(EvidencePack pack) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditReport report = pack.report();
        AuditReport.MfaTrail mfa = report.mfa();
        try (JsonGenerator json = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeStringProperty("period_start", report.since().toString());
            json.writeStringProperty("period_end", report.until().toString());
            json.writeStringProperty("generated", report.generated().toString());
            json.writeObjectPropertyStart("config");
            json.writeStringProperty("file", String.valueOf(pack.configFile()));
            json.writeStringProperty("sha256", pack.configSha256());
            json.writeEndObject();
            json.writeObjectPropertyStart("trail");
            json.writeArrayPropertyStart("files");
            for (var file : report.files()) {
                json.writeString(String.valueOf(file.getFileName()));
            }
            json.writeEndArray();
            json.writeNumberProperty("events", report.events());
            json.writeBooleanProperty("chain_intact", pack.intact());
            sealed(json, "first", mfa.first());
            sealed(json, "last", mfa.last());
            json.writeEndObject();
            json.writeObjectPropertyStart("sign_ins");
            json.writeNumberProperty("password_only", mfa.use().passwordOnly());
            json.writeNumberProperty("totp", mfa.use().totp());
            json.writeNumberProperty("webauthn", mfa.use().webauthn());
            json.writeNumberProperty("passkey", mfa.use().passkey());
            json.writeNumberProperty("recovery_code", mfa.use().recoveryCodes());
            json.writeEndObject();
            json.writeArrayPropertyStart("assertions");
            for (EvidencePack.Assertion assertion : pack.assertions()) {
                json.writeStartObject();
                json.writeStringProperty("id", assertion.id());
                json.writeStringProperty("title", assertion.title());
                json.writeStringProperty("asks", assertion.asks());
                json.writeArrayPropertyStart("evidence");
                for (EvidencePack.Item item : assertion.items()) {
                    json.writeStartObject();
                    json.writeStringProperty("text", item.text());
                    json.writeStringProperty("source", item.source());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeArrayPropertyStart("gaps");
                for (String gap : assertion.gaps()) {
                    json.writeString(gap);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayPropertyStart("does_not_prove");
            for (String limit : pack.limits()) {
                json.writeString(limit);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    private static void sealed(JsonGenerator json, String name, AuditReport.Sealed line) {
        if (line == null) {
            json.writeNullProperty(name);
            return;
        }
        json.writeObjectPropertyStart(name);
        json.writeNumberProperty("sequence", line.sequence());
        json.writeStringProperty("hash", line.hash());
        json.writeStringProperty("time", line.time().toString());
        json.writeEndObject();
    }
}
