package io.optin.replies.matching;

import io.optin.kit.streams.JsonSerde;
import io.optin.schemas.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The state stores of the reply topology (all key-value, persistent, changelogged). Names are part
 * of the service's contract: the HTTP side reads {@link #OUTCOMES} and {@link #SUBSCRIBER_STATUS}
 * by interactive query.
 */
public final class ReplyStores {

  /**
   * phone -> {@link PhoneChallenges}: open challenges, and closed ones for {@code closedRetention}.
   */
  public static final String CHALLENGES = "reply-challenges";

  /**
   * message sid or attempt id -> wall-clock millis first seen; purged after {@code
   * dedupeRetention}.
   */
  public static final String DEDUPE = "reply-dedupe";

  /** message sid or attempt id -> {@link OutcomeEntry}; purged after {@code outcomeRetention}. */
  public static final String OUTCOMES = "reply-outcomes";

  /** phone -> {@link PhoneStatuses}: status per program. */
  public static final String SUBSCRIBER_STATUS = "subscriber-status";

  /**
   * {@code <expiresAt, 13 digits>|<phone>|<challengeId>} -> phone: the deadlines of open challenges
   * in time order, so the expiry punctuator reads only what is due instead of scanning every phone.
   */
  public static final String EXPIRIES = "reply-expiries";

  private ReplyStores() {}

  /**
   * The stores keyed by phone keep their changelogs compacted within bounds ({@link
   * Topics#ERASABLE_COMPACTION}), so a phone an erasure deleted leaves them within days
   * (docs/privacy.md). Streams applies the configs when it creates a changelog only.
   */
  static List<StoreBuilder<?>> builders() {
    return List.of(
        store(CHALLENGES, new JsonSerde<>(PhoneChallenges.class))
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DEDUPE), Serdes.String(), Serdes.Long()),
        store(OUTCOMES, new JsonSerde<>(OutcomeEntry.class)),
        store(SUBSCRIBER_STATUS, new JsonSerde<>(PhoneStatuses.class))
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION),
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EXPIRIES), Serdes.String(), Serdes.String())
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION));
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, JsonSerde<V> serde) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), serde);
  }

  /** The key of a challenge's deadline in {@link #EXPIRIES}; lexicographic order is time order. */
  static String expiryKey(long expiresAt, String phone, String challengeId) {
    return String.format("%013d|%s|%s", expiresAt, phone, challengeId);
  }

  /** The smallest key strictly after every deadline at or before {@code time}. */
  static String expiryKeysUpTo(long time) {
    return String.format("%013d", time + 1);
  }
}
