package io.optin.audit.crypto;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.PersonalData;
import io.optin.avro.SubjectDataKey;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens ledger records with the subjects' data keys as the key topic holds them (wrapped by the
 * master key): where the topology keeps them in its store, and where tools read
 * optin.consent-keys.v1. A subject whose key is gone, or holds another key id than the record
 * names, was erased: its records stay sealed for good.
 */
public final class DataKeys {

  private final MasterKey master;
  private final Function<String, SubjectDataKey> wrappedKeys;

  /**
   * @param wrappedKeys the wrapped key of a subject, null when it has none (never had one, or
   *     erased)
   */
  public DataKeys(MasterKey master, Function<String, SubjectDataKey> wrappedKeys) {
    this.master = Objects.requireNonNull(master, "master");
    this.wrappedKeys = Objects.requireNonNull(wrappedKeys, "wrappedKeys");
  }

  /** The subject's current data key, if it has one. */
  public Optional<DataKey> find(String subjectKey) {
    SubjectDataKey wrapped = wrappedKeys.apply(subjectKey);
    return wrapped == null ? Optional.empty() : Optional.of(master.unwrap(wrapped));
  }

  /**
   * The personal data of a record; empty when it has none sealed, or when the key that sealed it
   * was destroyed.
   *
   * @throws IllegalStateException when the key exists but the sealed bytes do not open (altered)
   */
  public Optional<PersonalData> open(ConsentAuditRecord record) {
    if (record.getSealedPersonalData() == null || record.getSubjectKey() == null) {
      return Optional.empty();
    }
    return find(record.getSubjectKey())
        .filter(key -> key.keyId().equals(record.getKeyId()))
        .map(key -> key.open(record.getSealedPersonalData(), record.getEventId()));
  }
}
