package io.optin.replies.matching;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;
import java.util.Objects;

/**
 * One answer to match against a phone's challenges: a YES (texted, on WhatsApp, or a key pressed
 * during a call), a code texted back, or a code typed on a site.
 *
 * @param id the message sid or attempt id (the key its outcome is stored under)
 * @param method how it tries to confirm: {@code REPLY_YES}, {@code VOICE_KEYPRESS}, {@code
 *     REPLY_CODE} or {@code CODE_ENTRY}
 * @param codeHash keyed hash of the code; null for a YES
 * @param programId the program a code entry is for; null for SMS replies (any program of the phone)
 * @param toNumber our number the SMS was sent to, when known (prefers that number's challenge for a
 *     YES)
 * @param at event time in epoch milliseconds
 * @param channel where the answer came from (SMS, WHATSAPP, VOICE), the confirmation's {@code
 *     confirmedVia}; null for a code typed on a site
 */
public record Reply(
    String id,
    ConfirmationMethod method,
    String codeHash,
    String programId,
    String toNumber,
    long at,
    MessageChannel channel) {

  public Reply {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
  }

  /** An answer with no channel (a code entry, or one parked before channels were recorded). */
  public Reply(
      String id,
      ConfirmationMethod method,
      String codeHash,
      String programId,
      String toNumber,
      long at) {
    this(id, method, codeHash, programId, toNumber, at, null);
  }

  /** A YES texted back by SMS. */
  public static Reply yes(String messageSid, String toNumber, long at) {
    return yes(messageSid, toNumber, at, MessageChannel.SMS);
  }

  /** A YES on {@code channel} (SMS or WHATSAPP); a VOICE one is a {@link #keypress}. */
  public static Reply yes(String messageSid, String toNumber, long at, MessageChannel channel) {
    if (channel == MessageChannel.VOICE) {
      return keypress(messageSid, toNumber, at);
    }
    return new Reply(messageSid, ConfirmationMethod.REPLY_YES, null, null, toNumber, at, channel);
  }

  /**
   * The key that confirms, pressed during a call: a YES (the most recent challenge in its window)
   * with its own method.
   */
  public static Reply keypress(String id, String toNumber, long at) {
    return new Reply(
        id, ConfirmationMethod.VOICE_KEYPRESS, null, null, toNumber, at, MessageChannel.VOICE);
  }

  public static Reply code(String messageSid, String codeHash, String toNumber, long at) {
    return code(messageSid, codeHash, toNumber, at, MessageChannel.SMS);
  }

  /** A code texted back on {@code channel} (SMS or WHATSAPP). */
  public static Reply code(
      String messageSid, String codeHash, String toNumber, long at, MessageChannel channel) {
    return new Reply(
        messageSid, ConfirmationMethod.REPLY_CODE, codeHash, null, toNumber, at, channel);
  }

  public static Reply codeEntry(String attemptId, String programId, String codeHash, long at) {
    return new Reply(attemptId, ConfirmationMethod.CODE_ENTRY, codeHash, programId, null, at);
  }

  /** Whether it confirms without a code: a YES or the confirming key of a call. */
  @JsonIgnore
  public boolean isYes() {
    return method == ConfirmationMethod.REPLY_YES || method == ConfirmationMethod.VOICE_KEYPRESS;
  }

  /**
   * Whether a challenge of this program may answer this reply (SMS replies concern every program).
   */
  public boolean concerns(String challengeProgramId) {
    return programId == null || programId.equals(challengeProgramId);
  }
}
