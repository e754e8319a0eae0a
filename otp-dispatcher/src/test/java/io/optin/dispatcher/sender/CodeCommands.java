package io.optin.dispatcher.sender;

import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import java.time.Instant;

/** Test fixture: the outbox command of a code, as the dispatcher writes it. */
final class CodeCommands {

  private CodeCommands() {}

  /** A code for {@code phone}, requested at {@code at}, expiring 10 minutes later. */
  static SmsSendRequested code(String commandId, String phone, Instant at) {
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId("c-" + commandId)
        .setProgramId("acme-deals")
        .setPhone(phone)
        .setFromNumber(null)
        .setLocale("en-US")
        .setExpiresAt(at.plusSeconds(600))
        .setRequestedAt(at)
        .build();
  }
}
