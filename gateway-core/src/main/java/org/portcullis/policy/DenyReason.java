package org.portcullis.policy;

/** Why the policy refused a request; carried into the audit log as {@link #code()}. */
public enum DenyReason {
    /** The first matching rule has {@code policy: deny}. */
    DENIED_BY_RULE("denied_by_rule"),
    /** No rule matched and {@code default_policy} is {@code deny}. */
    NO_RULE_MATCHED("no_rule_matched"),
    /**
     * The first matching rule is weaker than two factors and its exception ({@code access_control.exceptions}) is
     * past its {@code review_by} day: the approval lapsed, so the rule refuses ({@code exceptions_expired: deny}).
     */
    EXCEPTION_LAPSED("exception_lapsed"),
    /**
     * The route's upstream reads paths like Windows ({@code paths: case_insensitive}) and would read this path as
     * another name ({@link WindowsPathAliases}); refused before any rule, and answered with 400, not 403.
     */
    WINDOWS_PATH_ALIAS("windows_path_alias");

    private final String code;

    DenyReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
