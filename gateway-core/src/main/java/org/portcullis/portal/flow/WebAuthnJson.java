package org.portcullis.portal.flow;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON the portal's script sends and receives. Requests are read as a tree with every binary field in base64url
 * (RFC 4648 §5); anything missing, of the wrong type or not base64url makes the whole request malformed, never a
 * partial one. Answers are small objects the gateway builds itself.
 */
final class WebAuthnJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** More transports than any authenticator reports (usb, nfc, ble, internal, hybrid, smart-card). */
    private static final int MAX_TRANSPORTS = 8;

    private WebAuthnJson() {
    }

    /** What {@code navigator.credentials.get} returned, as the script posts it. */
    record Assertion(String rd, String credentialId, byte[] clientDataJSON, byte[] authenticatorData,
                     byte[] signature, byte[] userHandle) {
    }

    /** What {@code navigator.credentials.create} returned, as the script posts it. */
    record Attestation(String name, String rd, byte[] clientDataJSON, byte[] attestationObject,
                       Set<String> transports) {
    }

    static Optional<JsonNode> tree(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    static Optional<Assertion> assertion(byte[] body) {
        Optional<JsonNode> tree = tree(body);
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        JsonNode credential = tree.get().path("credential");
        JsonNode response = credential.path("response");
        Optional<String> rawId = text(credential.path("rawId")).filter(WebAuthnJson::isBase64Url);
        Optional<byte[]> clientData = bytes(response.path("clientDataJSON"));
        Optional<byte[]> authenticatorData = bytes(response.path("authenticatorData"));
        Optional<byte[]> signature = bytes(response.path("signature"));
        JsonNode handleNode = response.path("userHandle");
        Optional<byte[]> userHandle = handleNode.isNull() || handleNode.isMissingNode() ? Optional.of(new byte[0])
                : bytes(handleNode);
        if (rawId.isEmpty() || rawId.get().isEmpty() || clientData.isEmpty() || authenticatorData.isEmpty()
                || signature.isEmpty() || userHandle.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Assertion(text(tree.get().path("rd")).orElse(""), rawId.get(), clientData.get(),
                authenticatorData.get(), signature.get(), userHandle.get().length == 0 ? null : userHandle.get()));
    }

    static Optional<Attestation> attestation(byte[] body) {
        Optional<JsonNode> tree = tree(body);
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        JsonNode response = tree.get().path("credential").path("response");
        Optional<byte[]> clientData = bytes(response.path("clientDataJSON"));
        Optional<byte[]> attestationObject = bytes(response.path("attestationObject"));
        Set<String> transports = new LinkedHashSet<>();
        JsonNode list = response.path("transports");
        if (list.isArray()) {
            for (JsonNode item : list.values()) {
                text(item).filter(t -> t.matches("[a-z-]{1,16}")).ifPresent(transports::add);
            }
        }
        if (clientData.isEmpty() || attestationObject.isEmpty() || transports.size() > MAX_TRANSPORTS) {
            return Optional.empty();
        }
        return Optional.of(new Attestation(text(tree.get().path("name")).orElse(""),
                text(tree.get().path("rd")).orElse(""), clientData.get(), attestationObject.get(), transports));
    }

    /** The {@code name} field of a registration-options request, or empty text. */
    static String name(byte[] body) {
        return tree(body).flatMap(t -> text(t.path("name"))).orElse("");
    }

    /** {@code {"error": code, "message": text}}. */
    static String error(String code, String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("error", code);
        fields.put("message", message);
        return MAPPER.writeValueAsString(fields);
    }

    /** {@code {"publicKey": options}}, where {@code optionsJson} is webauthn4j's serialisation of the options. */
    static String options(String optionsJson) {
        return "{\"publicKey\":" + optionsJson + "}";
    }

    /** {@code {"redirect": location}}. */
    static String redirect(String location) {
        return MAPPER.writeValueAsString(Map.of("redirect", location));
    }

    /**
     * {@code {"next": step, "redirect": location, "csrf": token}}: the script submits the page's next form itself,
     * with {@code csrf}, the session's token after the rotation that came with the new factor.
     */
    static String next(String step, String location, String csrf) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("next", step);
        fields.put("redirect", location);
        fields.put("csrf", csrf);
        return MAPPER.writeValueAsString(fields);
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isString() ? Optional.of(node.stringValue()) : Optional.empty();
    }

    private static Optional<byte[]> bytes(JsonNode node) {
        Optional<String> text = text(node).filter(WebAuthnJson::isBase64Url);
        if (text.isEmpty() || text.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getUrlDecoder().decode(text.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isBase64Url(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
