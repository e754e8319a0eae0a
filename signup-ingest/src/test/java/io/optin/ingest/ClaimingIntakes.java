package io.optin.ingest;

import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Clock;

/**
 * A {@link SignupIntake} for the tests of claims and idempotency keys: their own claims and signup
 * log, no standing on record, the pumping guard of the settings, metrics kept to themselves.
 */
final class ClaimingIntakes {

  private ClaimingIntakes() {}

  static SignupIntake of(
      IngestSettings settings,
      IntakeClaims claims,
      SignupLog log,
      PublishedRecords published,
      Clock clock) {
    return of(settings, claims, log, published, new SubscriberStatusTable(), clock);
  }

  /** With the phones' standing of {@code statuses}. */
  static SignupIntake of(
      IngestSettings settings,
      IntakeClaims claims,
      SignupLog log,
      PublishedRecords published,
      SubscriberStatusView statuses,
      Clock clock) {
    return new SignupIntake(
        settings,
        claims,
        log,
        published.publisher(),
        statuses,
        new PumpingGuard(
            settings.pumping(), settings.prefixRule(), clock, OptinMetrics.unexposed()),
        clock,
        OptinMetrics.unexposed());
  }
}
