package io.optin.kit.twilio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe memory of recently seen keys (least recently seen forgotten first). A
 * cheap first filter against webhook replays; what reads the records dedupes them too, and that is
 * the guarantee.
 */
public final class RecentKeys {

  private final Map<String, Boolean> keys;

  public RecentKeys(int capacity) {
    this.keys =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers the key; true if it was not remembered already. */
  public synchronized boolean firstSighting(String key) {
    return keys.put(key, Boolean.TRUE) == null;
  }

  /** Forgets a key, so a retry of a request that failed is processed again. */
  public synchronized void forget(String key) {
    keys.remove(key);
  }
}
