package io.optin.ingest;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory table behind {@link SubscriberStatusView}: the latest status per phone and program,
 * as applied from the compacted status topic (a tombstone forgets the entry). Safe for one writer
 * and many readers.
 */
public final class SubscriberStatusTable implements SubscriberStatusView {

  private final Map<String, Map<String, OptInStatus>> byPhone = new ConcurrentHashMap<>();

  /**
   * Applies one record of the status topic: key {@code programId:phone}, value null for a
   * tombstone.
   */
  public void apply(String key, SubscriberStatus value) {
    if (value != null) {
      put(value.getProgramId(), value.getPhone(), value.getStatus());
      return;
    }
    int colon = key == null ? -1 : key.lastIndexOf(':');
    if (colon > 0) {
      forget(key.substring(0, colon), key.substring(colon + 1));
    }
  }

  public void put(String programId, String phoneE164, OptInStatus status) {
    byPhone.computeIfAbsent(phoneE164, p -> new ConcurrentHashMap<>()).put(programId, status);
  }

  public void forget(String programId, String phoneE164) {
    byPhone.computeIfPresent(
        phoneE164,
        (phone, programs) -> {
          programs.remove(programId);
          return programs.isEmpty() ? null : programs;
        });
  }

  @Override
  public Optional<OptInStatus> status(String programId, String phoneE164) {
    Map<String, OptInStatus> programs = byPhone.get(phoneE164);
    return programs == null ? Optional.empty() : Optional.ofNullable(programs.get(programId));
  }

  @Override
  public boolean isOptedOut(String phoneE164) {
    Map<String, OptInStatus> programs = byPhone.get(phoneE164);
    return programs != null && programs.containsValue(OptInStatus.OPTED_OUT);
  }

  /** Phones known. */
  public int phones() {
    return byPhone.size();
  }
}
