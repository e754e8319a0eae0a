package io.optin.audit;

import io.optin.audit.crypto.DataKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.avro.SubjectDataKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The audit task's data keys: wrapped in its state store (whose changelog compacts fast), unwrapped
 * in a bounded in-memory cache. A subject gets a key on its first sealed record; erasure deletes it
 * from both.
 */
final class SubjectKeyStore {

  private static final int CACHED_KEYS = 10_000;

  private final KeyValueStore<String, SubjectDataKey> store;
  private final MasterKey master;
  private final Map<String, DataKey> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DataKey> eldest) {
          return size() > CACHED_KEYS;
        }
      };

  SubjectKeyStore(KeyValueStore<String, SubjectDataKey> store, MasterKey master) {
    this.store = store;
    this.master = master;
  }

  /** A key that exists, or null. */
  DataKey existing(String subjectKey) {
    DataKey key = cache.get(subjectKey);
    if (key == null) {
      SubjectDataKey wrapped = store.get(subjectKey);
      if (wrapped != null) {
        key = master.unwrap(wrapped);
        cache.put(subjectKey, key);
      }
    }
    return key;
  }

  /** Makes, stores and returns the wrapped form of a new key for a subject that has none. */
  SubjectDataKey create(String subjectKey, Instant at) {
    DataKey key = DataKey.generate(subjectKey);
    SubjectDataKey wrapped = master.wrap(key, at);
    store.put(subjectKey, wrapped);
    cache.put(subjectKey, key);
    return wrapped;
  }

  void destroy(String subjectKey) {
    cache.remove(subjectKey);
    store.delete(subjectKey);
  }
}
