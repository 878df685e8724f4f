package org.portcullis.config;

import java.util.List;
import java.util.Optional;

/** "Did you mean …?" for unknown keys: the closest allowed key within {@value #MAX_DISTANCE} edits. */
final class KeyHints {
    static final int MAX_DISTANCE = 2;

    private KeyHints() {
    }

    static Optional<String> closest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : allowed) {
            int distance = levenshtein(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
