package io.optin.dispatcher.sms;

/** What became of one attempt to hand an SMS to the provider: accepted, worth retrying, or not. */
public sealed interface SendResult {

  /** The provider took the message; {@code status} is its first status ("queued", "accepted"). */
  record Accepted(String sid, String status) implements SendResult {}

  /**
   * Retrying later may succeed: 429, 5xx, timeouts, refused or reset connections. {@code
   * httpStatus} is null when no HTTP answer came; {@code errorCode} is the provider's code when it
   * sent one.
   */
  record TransientFailure(Integer httpStatus, Integer errorCode, String message)
      implements SendResult {}

  /** Retrying cannot help: invalid or unsubscribed number, missing permission, bad credentials. */
  record PermanentFailure(Integer errorCode, String message) implements SendResult {}

  default boolean accepted() {
    return this instanceof Accepted;
  }

  /**
   * A log-safe line: kind, HTTP status and provider code, never the provider's text (it quotes the
   * phone).
   */
  default String summary() {
    if (this instanceof Accepted a) {
      return "accepted " + a.sid() + " (" + a.status() + ")";
    }
    if (this instanceof TransientFailure t) {
      return "transient failure (http " + t.httpStatus() + ", code " + t.errorCode() + ")";
    }
    PermanentFailure p = (PermanentFailure) this;
    return "permanent failure (code " + p.errorCode() + ")";
  }
}
