package org.portcullis.coverage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.FactorStrength;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.ProtectedRef;
import org.portcullis.config.SecondFactor;

/**
 * One system the gateway protects and the rules that can decide access to it, in the order they are tried.
 *
 * @param ref    its kind and name
 * @param where  what users reach it as through the gateway ({@code https://records.example.org/}, a desktop's host)
 * @param guards the rules that can apply, first to last; the last one applies when none before it matches
 */
public record ProtectedSystem(ProtectedRef ref, String where, List<Guard> guards) {
    public ProtectedSystem {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(where, "where");
        guards = List.copyOf(guards);
    }

    /**
     * A system that always needs two factors, whatever the access rules say: a remote desktop or a TCP target. Those
     * are never exceptions. {@code factors} empty means every kind; {@code minimum} may be null.
     */
    public static ProtectedSystem alwaysTwoFactor(ProtectedRef ref, String where, Set<SecondFactor> factors,
                                                  FactorStrength minimum) {
        Set<SecondFactor> accepted = factors.isEmpty() ? Set.of(SecondFactor.values()) : factors;
        List<String> names = accepted.stream().filter(f -> minimum == null || FactorStrength.of(f).atLeast(minimum))
                .map(SecondFactor::yamlName).sorted().toList();
        FactorStrength strength = FactorStrength.ofRule(PolicyKind.TWO_FACTOR, accepted.stream()
                .filter(f -> minimum == null || FactorStrength.of(f).atLeast(minimum))
                .collect(java.util.stream.Collectors.toSet())).orElseThrow();
        return new ProtectedSystem(ref, where, List.of(new Guard(ref.kind().yamlName(), PolicyKind.TWO_FACTOR, names,
                strength, null, ExceptionState.NONE, "")));
    }

    /** The weakest strength any of its rules lets someone through with today; empty when every rule refuses. */
    public Optional<FactorStrength> weakest() {
        return guards.stream().map(Guard::effectiveStrength).filter(Objects::nonNull)
                .min(Enum::compareTo);
    }

    /** Whether a rule weaker than two factors still lets requests through today. */
    public boolean hasWeakGuard() {
        return guards.stream().anyMatch(Guard::isWeak);
    }
}
