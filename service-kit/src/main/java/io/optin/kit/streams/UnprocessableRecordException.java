package io.optin.kit.streams;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Thrown by a processor for a record that can never be processed, whatever the retries: the fault
 * is in the record, not in the code path or the infrastructure. It is the only exception {@link
 * RecordFailures} turns into a dead letter; any other fails the stream thread so the transaction is
 * aborted and the record processed again.
 *
 * <p>Throw it before the processor has written anything for the record (a store, a forward): the
 * record is then skipped as if it had never arrived, and only its dead letter is committed.
 */
public final class UnprocessableRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param reason why the record cannot be processed, for the dead letter
   * @param field the offending field when one is to blame, else null
   */
  public UnprocessableRecordException(String reason, String field, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason"), cause);
    this.field = field;
  }

  /**
   * Runs {@code decision}, a pure function of the record (no I/O, no store, no forward), and
   * returns its result. What it throws depends on the record only and would be thrown again on
   * every retry, so it becomes an {@code UnprocessableRecordException}: "{@code what}: {@code
   * exception}".
   */
  public static <T> T decide(Supplier<T> decision, String what) {
    try {
      return decision.get();
    } catch (UnprocessableRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnprocessableRecordException(what + ": " + e, null, e);
    }
  }

  /** The offending field, or null. */
  public String field() {
    return field;
  }
}
