package io.optin.replies.matching;

/**
 * The outcome of one answer as stored in {@code reply-outcomes}, with the wall-clock time (epoch
 * ms) it was decided, for the retention purge.
 */
public record OutcomeEntry(String outcome, long decidedAt) {

  public Outcome parsed() {
    return Outcome.parse(outcome);
  }
}
