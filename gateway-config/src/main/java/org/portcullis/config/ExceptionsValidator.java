package org.portcullis.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code access_control.exceptions}, the exception register: every entry names its id, reason, risk owner,
 * approver, the day it was approved and the day it must be reviewed by, at most {@value #MAX_MONTHS} months later
 * (NHS England's MFA policy: exceptions are reviewed at least yearly). Ids are unique. Whether an entry has lapsed
 * depends on the day, so that is checked with the clock by {@link ExceptionChecks}, not here.
 */
final class ExceptionsValidator {
    static final String ID = "id";
    static final String REASON = "reason";
    static final String RISK_OWNER = "risk_owner";
    static final String APPROVER = "approver";
    static final String APPROVED_ON = "approved_on";
    static final String REVIEW_BY = "review_by";
    static final List<String> KEYS = List.of(ID, REASON, RISK_OWNER, APPROVER, APPROVED_ON, REVIEW_BY);
    static final int MAX_MONTHS = 12;

    private final NodeReader reader;
    private final Map<String, String> firstUse = new HashMap<>();

    ExceptionsValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<List<ExceptionEntry>> validate(YamlNode node) {
        return reader.listOf(node, this::entry);
    }

    private Optional<ExceptionEntry> entry(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView entry = view.get();
        int before = reader.problems().errorCount();
        Optional<String> id = entry.require(ID).flatMap(n -> reader.parsed(n,
                v -> AccessControlValidator.RULE_ID.matcher(v).matches() ? Optional.of(v) : Optional.empty(),
                v -> Messages.notName(v, "exception id")));
        id.ifPresent(v -> {
            String first = firstUse.putIfAbsent(v, node.path());
            if (first != null) {
                reader.problems().error(entry.get(ID).orElseThrow(),
                        Messages.alreadyUsed(reader.show((YamlScalar) entry.get(ID).orElseThrow()), first));
            }
        });
        Optional<String> reason = entry.require(REASON).flatMap(reader::string);
        Optional<String> riskOwner = entry.require(RISK_OWNER).flatMap(reader::string);
        Optional<String> approver = entry.require(APPROVER).flatMap(reader::string);
        Optional<LocalDate> approvedOn = entry.require(APPROVED_ON).flatMap(this::date);
        Optional<LocalDate> reviewBy = entry.require(REVIEW_BY).flatMap(this::date);
        if (approvedOn.isPresent() && reviewBy.isPresent()) {
            YamlNode reviewNode = entry.get(REVIEW_BY).orElseThrow();
            if (!reviewBy.get().isAfter(approvedOn.get())) {
                reader.problems().error(reviewNode, CoverageMessages.reviewNotAfterApproval(reviewBy.get(),
                        approvedOn.get()));
            } else if (reviewBy.get().isAfter(approvedOn.get().plusMonths(MAX_MONTHS))) {
                reader.problems().error(reviewNode, CoverageMessages.reviewTooLate(reviewBy.get(), approvedOn.get(),
                        approvedOn.get().plusMonths(MAX_MONTHS)));
            }
        }
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new ExceptionEntry(id.get(), reason.get(), riskOwner.get(), approver.get(),
                approvedOn.get(), reviewBy.get()));
    }

    private Optional<LocalDate> date(YamlNode node) {
        return reader.parsed(node, ExceptionsValidator::isoDate, CoverageMessages::notDate);
    }

    private static Optional<LocalDate> isoDate(String text) {
        if (!text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
