package org.portcullis.config;

import java.util.List;
import java.util.Optional;

/**
 * Checks {@code enrolment}: one optional boolean, {@code allow_first_factor_only} (default false). Setting it true is
 * accepted with a warning, since it turns off the proof a first enrolment needs (SECURITY-RULES 15).
 */
final class EnrolmentValidator {
    static final String ALLOW_FIRST_FACTOR_ONLY = "allow_first_factor_only";
    static final List<String> KEYS = List.of(ALLOW_FIRST_FACTOR_ONLY);

    private final NodeReader reader;

    EnrolmentValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<EnrolmentConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlNode> allowNode = view.get().get(ALLOW_FIRST_FACTOR_ONLY);
        if (allowNode.isEmpty()) {
            return Optional.of(EnrolmentConfig.defaults());
        }
        Optional<Boolean> allow = allowNode.flatMap(reader::bool);
        if (allow.isEmpty()) {
            return Optional.empty();
        }
        if (allow.get()) {
            reader.problems().warning(allowNode.get(), Messages.firstFactorOnlyEnrolment());
        }
        return Optional.of(new EnrolmentConfig(allow.get()));
    }
}
