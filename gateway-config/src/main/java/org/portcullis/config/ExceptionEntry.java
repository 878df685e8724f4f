package org.portcullis.config;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the exception register ({@code access_control.exceptions}): the documented, risk-assessed and approved
 * reason why one rule asks for less than two factors on a protected system, as NHS England's MFA policy requires of
 * every exception. Rules name it by {@code id} ({@code exception:} on the rule).
 *
 * @param id         the name rules use, {@code [a-z0-9_-]+}
 * @param reason     why the system cannot take two factors, and what reduces the risk meanwhile
 * @param riskOwner  who owns the risk (a role or a named person)
 * @param approver   who approved the exception
 * @param approvedOn the day it was approved
 * @param reviewBy   the last day it holds (UTC), at most 12 months after {@code approvedOn}
 */
public record ExceptionEntry(String id, String reason, String riskOwner, String approver, LocalDate approvedOn,
                             LocalDate reviewBy) {

    /** How long before {@code review_by} start and reload warn that the review is due. */
    public static final int REVIEW_WARNING_DAYS = 30;

    public ExceptionEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(riskOwner, "riskOwner");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(approvedOn, "approvedOn");
        Objects.requireNonNull(reviewBy, "reviewBy");
    }

    /** True once the UTC day of {@code now} is after {@code review_by}: the approval no longer holds. */
    public boolean lapsedAt(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).isAfter(reviewBy);
    }

    /** True from {@value #REVIEW_WARNING_DAYS} days before {@code review_by} until it lapses. */
    public boolean reviewDueAt(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return !lapsedAt(now) && !today.isBefore(reviewBy.minusDays(REVIEW_WARNING_DAYS));
    }
}
