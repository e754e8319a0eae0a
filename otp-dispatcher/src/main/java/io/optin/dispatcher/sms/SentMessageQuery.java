package io.optin.dispatcher.sms;

import io.optin.domain.otp.PhoneMask;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which earlier message to look for at the provider: one to {@code to}, from {@code from} (null
 * when a messaging service picked the sender, then matched without it), sent on or after {@code
 * since}, whose text {@code bodyMatches} accepts. The predicate sees each listed text; it never
 * leaves the process.
 */
public record SentMessageQuery(
    String to, String from, Instant since, Predicate<String> bodyMatches) {

  public SentMessageQuery {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(bodyMatches, "bodyMatches");
  }

  @Override
  public String toString() {
    return "SentMessageQuery[to="
        + PhoneMask.mask(to)
        + ", from="
        + from
        + ", since="
        + since
        + "]";
  }
}
