package org.portcullis.config;

import java.time.LocalDate;
import java.util.List;

/**
 * The texts of the exception register, minimum strength and entry-point checks, in the style of {@link Messages}
 * ({@code <what is wrong> (allowed: <what is allowed>)}); kept apart so that section's messages sit together.
 */
final class CoverageMessages {
    private CoverageMessages() {
    }

    static String notExpiredMode(String value) {
        return value + " is not what a lapsed exception does (allowed: deny, warn)";
    }

    static String notMinimumStrength(String value) {
        return value + " is not a minimum strength (allowed: better, best)";
    }

    static String minimumStrengthUnreachable(String minimum) {
        return "no factor in 'factors' reaches strength " + minimum + " (totp is better, webauthn is best)";
    }

    static String notDate(String value) {
        return value + " is not a date (allowed: YYYY-MM-DD)";
    }

    static String reviewNotAfterApproval(LocalDate reviewBy, LocalDate approvedOn) {
        return reviewBy + " is not after approved_on " + approvedOn;
    }

    static String reviewTooLate(LocalDate reviewBy, LocalDate approvedOn, LocalDate latest) {
        return reviewBy + " is more than 12 months after approved_on " + approvedOn + " (allowed: up to " + latest
                + "; exceptions are reviewed at least yearly)";
    }

    static String unknownException(String value, List<String> ids) {
        return value + " is not an entry of access_control.exceptions (ids: "
                + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")";
    }

    static String weakRuleWithoutException(String rule, String what, List<String> systems) {
        return "rule '" + rule + "' lets requests to " + String.join(", ", systems) + " through with " + what
                + " and names no exception (allowed: two_factor or deny, or 'exception: ID' naming an approved entry"
                + " of access_control.exceptions)";
    }

    static String weakDefaultPolicy(String policy, List<String> systems) {
        return "default_policy " + policy + " lets requests to " + String.join(", ", systems)
                + " through with less than two factors, and a default cannot name an exception (allowed: two_factor"
                + " or deny, with weak rules that name exceptions)";
    }

    static String exceptionNotNeeded(String rule, String policy) {
        return "rule '" + rule + "' names an exception but needs none (policy " + policy + ")";
    }

    static String reviewDue(String id, LocalDate reviewBy, long days) {
        return "exception '" + id + "' is due for review by " + reviewBy + " (in " + days
                + (days == 1 ? " day" : " days") + "); after that day its rules "
                + "are treated as deny unless access_control.exceptions_expired is warn";
    }

    static String lapsedDenied(String id, LocalDate reviewBy, List<String> rules) {
        return "exception '" + id + "' LAPSED after " + reviewBy + ": rule(s) " + String.join(", ", rules)
                + " now refuse every request they match (as policy deny) until the exception is reviewed and its"
                + " review_by moved";
    }

    static String lapsedKept(String id, LocalDate reviewBy, List<String> rules) {
        return "EXCEPTION LAPSED: '" + id + "' was due for review by " + reviewBy + ", yet rule(s) "
                + String.join(", ", rules) + " STILL LET REQUESTS THROUGH with less than two factors because"
                + " access_control.exceptions_expired is warn; review and re-approve it now";
    }

    static String notEntryPointAddress(String value) {
        return value + " is not a host:port (allowed: a host name or IP literal and a port 1-65535, IPv6 in [])";
    }

    static String notEntryPointScheme(String value) {
        return value + " is not a scheme (allowed: http, https; leave it out for a plain TCP service)";
    }

    static String entryPointNeedsOneSystem() {
        return "names no protected system or more than one (allowed: exactly one of route, desktop, target)";
    }

    static String unknownProtectedSystem(String kind, String value, List<String> names) {
        return value + " is not a " + kind + " of this config (" + kind + "s: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")";
    }
}
