package io.optin.ingest;

import java.nio.charset.StandardCharsets;

/** The body of a valid signup with an idempotency key, as the tests of repeated keys send it. */
final class KeyedSignupBody {

  /** {@code +14155550100} to {@code acme-deals}, key {@code order-9}. */
  static final byte[] ORDER_9 =
      """
      {"phone":"+14155550100","programId":"acme-deals",
       "consentText":"Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.",
       "locale":"en-US","idempotencyKey":"order-9",
       "source":{"channel":"web_form","ip":"203.0.113.7"}}"""
          .getBytes(StandardCharsets.UTF_8);

  private KeyedSignupBody() {}
}
