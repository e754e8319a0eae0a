package io.optin.replies.matching;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.optin.avro.ConfirmationMethod;
import java.util.Objects;

/**
 * One answer to match against a phone's challenges: a YES, a code texted back, or a code typed on a
 * site.
 *
 * @param id the message sid or attempt id (the key its outcome is stored under)
 * @param method how it tries to confirm: {@code REPLY_YES}, {@code REPLY_CODE} or {@code
 *     CODE_ENTRY}
 * @param codeHash keyed hash of the code; null for a YES
 * @param programId the program a code entry is for; null for SMS replies (any program of the phone)
 * @param toNumber our number the SMS was sent to, when known (prefers that number's challenge for a
 *     YES)
 * @param at event time in epoch milliseconds
 */
public record Reply(
    String id,
    ConfirmationMethod method,
    String codeHash,
    String programId,
    String toNumber,
    long at) {

  public Reply {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
  }

  public static Reply yes(String messageSid, String toNumber, long at) {
    return new Reply(messageSid, ConfirmationMethod.REPLY_YES, null, null, toNumber, at);
  }

  public static Reply code(String messageSid, String codeHash, String toNumber, long at) {
    return new Reply(messageSid, ConfirmationMethod.REPLY_CODE, codeHash, null, toNumber, at);
  }

  public static Reply codeEntry(String attemptId, String programId, String codeHash, long at) {
    return new Reply(attemptId, ConfirmationMethod.CODE_ENTRY, codeHash, programId, null, at);
  }

  @JsonIgnore
  public boolean isYes() {
    return method == ConfirmationMethod.REPLY_YES;
  }

  /**
   * Whether a challenge of this program may answer this reply (SMS replies concern every program).
   */
  public boolean concerns(String challengeProgramId) {
    return programId == null || programId.equals(challengeProgramId);
  }
}
