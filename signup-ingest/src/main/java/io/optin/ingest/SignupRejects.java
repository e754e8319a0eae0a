package io.optin.ingest;

import io.optin.avro.SignupRejected;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every signup the front door refuses on {@code optin.signup-rejects.v1}, with the raw
 * body, reason and field, so no refused input is lost. Not awaited: the caller already has its
 * answer; a failed write is logged as an error with the reason.
 */
final class SignupRejects {

  private static final Logger LOG = LoggerFactory.getLogger(SignupRejects.class);

  private final RecordPublisher publisher;
  private final Clock clock;

  SignupRejects(RecordPublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * @param phoneOrNull the phone in E.164 when it was understood (it becomes the record key), else
   *     null
   * @param rawBody the body exactly as received, or null when it was not read (too large)
   */
  void record(int status, String reason, String field, byte[] rawBody, String phoneOrNull) {
    SignupRejected reject =
        SignupRejected.newBuilder()
            .setRejectId(UUID.randomUUID().toString())
            .setReason(status + " " + reason)
            .setField(field)
            .setRawValue(rawBody == null ? null : ByteBuffer.wrap(rawBody))
            .setRejectedAt(clock.instant())
            .build();
    LOG.debug(
        "signup refused with {} ({}, field {}) for {}",
        status,
        reason,
        field,
        PhoneMask.mask(phoneOrNull));
    publisher
        .send(Topics.SIGNUP_REJECTS, phoneOrNull, reject, null)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.error(
                    "could not record a refused signup ({} {}, field {}): {}",
                    status,
                    reason,
                    field,
                    failure.toString());
              }
            });
  }
}
