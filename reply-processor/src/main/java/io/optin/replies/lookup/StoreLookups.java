package io.optin.replies.lookup;

import io.optin.domain.otp.OtpCodes;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.OutcomeEntry;
import io.optin.replies.matching.PhoneChallenges;
import io.optin.replies.matching.PhoneStatuses;
import io.optin.replies.matching.ProgramStatus;
import io.optin.replies.matching.ReplyStores;
import io.optin.replies.matching.SettledCodes;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Outcome and status lookups by interactive query on this instance's {@code reply-outcomes} and
 * {@code subscriber-status} stores.
 *
 * <p>Local only: it sees the partitions this instance owns, and a key of another partition reads as
 * unknown. With several instances, {@link RoutedLookups} asks the owner of the phone instead, and
 * reads here only the partition this instance owns ({@link #statuses(String, int)}). Reads may see
 * state a transaction has not committed yet; a reprocessed record decides the same outcome.
 */
public final class StoreLookups implements OutcomeLookup, StatusLookup {

  private final KafkaStreams streams;
  private final OtpCodes codes;

  /**
   * @param codes tells which challenge a code hash is the code of (for {@link #settledCode})
   */
  public StoreLookups(KafkaStreams streams, OtpCodes codes) {
    this.streams = streams;
    this.codes = codes;
  }

  @Override
  public Optional<Outcome> outcome(String id) {
    try {
      OutcomeEntry entry = this.<OutcomeEntry>store(ReplyStores.OUTCOMES).get(id);
      return entry == null ? Optional.empty() : Optional.of(entry.parsed());
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /**
   * From the challenges of the partitions this instance hosts; empty (the topology decides) for a
   * phone of another partition or while the store cannot be queried.
   */
  @Override
  public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
    try {
      PhoneChallenges challenges = this.<PhoneChallenges>store(ReplyStores.CHALLENGES).get(phone);
      return challenges == null
          ? Optional.empty()
          : SettledCodes.alreadyConfirmed(challenges, codes, programId, codeHash);
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  @Override
  public Map<String, ProgramStatus> statuses(String phone) {
    try {
      PhoneStatuses statuses = this.<PhoneStatuses>store(ReplyStores.SUBSCRIBER_STATUS).get(phone);
      return statuses == null ? Map.of() : statuses.programs();
    } catch (InvalidStateStoreException e) {
      throw new LookupUnavailableException("subscriber status store is not available yet", e);
    }
  }

  /**
   * The phone's statuses from the store of {@code partition} only, which this instance must host.
   *
   * @throws LookupUnavailableException when it does not (any more), or not yet
   */
  public Map<String, ProgramStatus> statuses(String phone, int partition) {
    try {
      PhoneStatuses statuses =
          streams
              .store(
                  StoreQueryParameters.fromNameAndType(
                          ReplyStores.SUBSCRIBER_STATUS,
                          QueryableStoreTypes.<String, PhoneStatuses>keyValueStore())
                      .withPartition(partition))
              .get(phone);
      return statuses == null ? Map.of() : statuses.programs();
    } catch (InvalidStateStoreException e) {
      throw new LookupUnavailableException(
          "subscriber status of partition " + partition + " is not hosted here now", e);
    }
  }

  /**
   * The phone's challenges from the store of {@code partition} only, which this instance must host.
   *
   * @throws LookupUnavailableException when it does not (any more), or not yet
   */
  public PhoneChallenges challenges(String phone, int partition) {
    try {
      PhoneChallenges challenges =
          streams
              .store(
                  StoreQueryParameters.fromNameAndType(
                          ReplyStores.CHALLENGES,
                          QueryableStoreTypes.<String, PhoneChallenges>keyValueStore())
                      .withPartition(partition))
              .get(phone);
      return challenges == null ? PhoneChallenges.EMPTY : challenges;
    } catch (InvalidStateStoreException e) {
      throw new LookupUnavailableException(
          "challenges of partition " + partition + " are not hosted here now", e);
    }
  }

  /**
   * How many phones the challenge store holds across this instance's tasks (RocksDB's estimate).
   *
   * @throws InvalidStateStoreException while the store cannot be queried (a rebalance)
   */
  public long challengePhones() {
    return store(ReplyStores.CHALLENGES).approximateNumEntries();
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }
}
