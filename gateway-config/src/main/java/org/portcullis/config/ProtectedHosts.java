package org.portcullis.config;

import java.util.List;

/**
 * Which access rules can decide requests for a protected system's host. A rule without {@code hosts} reaches every
 * host; a rule's host pattern reaches a route's host when some name matches both. Used to find weak rules on protected
 * systems ({@link ExceptionChecks}) and by {@code coverage check}.
 */
public final class ProtectedHosts {
    private ProtectedHosts() {
    }

    /** True when {@code rule} can match a request for some host {@code host} matches. */
    public static boolean reaches(AccessRule rule, HostPattern host) {
        return reaches(rule.hosts(), host);
    }

    static boolean reaches(List<HostPattern> ruleHosts, HostPattern host) {
        return ruleHosts.isEmpty() || ruleHosts.stream().anyMatch(h -> overlap(h, host));
    }

    /** True when some host name matches both patterns. */
    public static boolean overlap(HostPattern a, HostPattern b) {
        if (!a.isWildcard()) {
            return b.matches(a.pattern());
        }
        if (!b.isWildcard()) {
            return a.matches(b.pattern());
        }
        String sa = a.pattern().substring(1);
        String sb = b.pattern().substring(1);
        return sa.endsWith(sb) || sb.endsWith(sa);
    }
}
