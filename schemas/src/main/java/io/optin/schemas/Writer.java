package io.optin.schemas;

import java.util.Locale;

/**
 * A service module that writes topics of the catalogue: each topic names one of these as its
 * writer, so a reader knows whose code decides what a record on it means.
 */
public enum Writer {
  SIGNUP_INGEST,
  OTP_DISPATCHER,
  REPLY_PROCESSOR,
  AUDIT_SINK,
  EVENT_WEBHOOKS;

  /**
   * The Maven module holding the writing code, as named in the repository: {@code otp-dispatcher}.
   */
  public String module() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    return module();
  }
}
