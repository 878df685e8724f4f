package org.portcullis.webauthn;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link CredentialRepository} in process memory; for tests and until the persistent store exists. */
public final class InMemoryCredentialRepository implements CredentialRepository {

    private final ConcurrentMap<String, CredentialRecord> byId = new ConcurrentHashMap<>();

    @Override
    public Optional<CredentialRecord> findById(String credentialId) {
        return Optional.ofNullable(byId.get(credentialId));
    }

    @Override
    public List<CredentialRecord> findByUser(String user) {
        return byId.values().stream()
                .filter(r -> r.user().equals(user))
                .sorted(Comparator.comparing(CredentialRecord::created))
                .toList();
    }

    @Override
    public boolean add(CredentialRecord record) {
        return byId.putIfAbsent(record.credentialId(), record) == null;
    }

    @Override
    public boolean update(CredentialRecord record) {
        return byId.replace(record.credentialId(), record) != null;
    }
}
