package io.optin.devkit.bench;

/**
 * One synthetic subscriber's double opt-in during a run: when each step happened ({@link
 * System#nanoTime()}, 0 while it has not) and how many times the steps that must happen once did.
 * Written by the driver, the phones and the topic reader; read by the summary.
 */
final class Flow {

  final int index;
  final String phone;
  final long intendedNanos;

  private long acceptedNanos;
  private int signupStatus;
  private String signupId;
  private String failure;
  private long smsNanos;
  private int codeSms;
  private long replySentNanos;
  private long replyAnsweredNanos;
  private int replyStatus;
  private String replyFailure;
  private long confirmedNanos;
  private int confirmations;
  private long ledgerNanos;
  private int ledgerRecords;

  Flow(int index, String phone, long intendedNanos) {
    this.index = index;
    this.phone = phone;
    this.intendedNanos = intendedNanos;
  }

  synchronized void accepted(int status, String signupId, long nanos) {
    this.signupStatus = status;
    this.signupId = signupId;
    this.acceptedNanos = nanos;
  }

  synchronized void failed(String why, long nanos) {
    this.failure = why;
    this.acceptedNanos = nanos;
  }

  /** A code SMS reached the provider; true for the first one, which the phone answers. */
  synchronized boolean codeSmsAt(long nanos) {
    codeSms++;
    if (codeSms == 1) {
      smsNanos = nanos;
      return true;
    }
    return false;
  }

  synchronized void replySent(long nanos) {
    replySentNanos = nanos;
  }

  synchronized void replyAnswered(int status, long nanos) {
    replyStatus = status;
    replyAnsweredNanos = nanos;
  }

  /** The YES webhook could not be posted or got no answer (optin unreachable, timed out). */
  synchronized void replyFailed(String why) {
    replyFailure = why;
  }

  synchronized void confirmed(long nanos) {
    confirmations++;
    if (confirmations == 1) {
      confirmedNanos = nanos;
    }
  }

  synchronized void ledgerRecorded(long nanos) {
    ledgerRecords++;
    if (ledgerRecords == 1) {
      ledgerNanos = nanos;
    }
  }

  /** Every step done: accepted, SMS, YES answered, confirmed, in the ledger. */
  synchronized boolean complete() {
    return confirmations > 0 && ledgerRecords > 0;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(
        index,
        phone,
        intendedNanos,
        acceptedNanos,
        signupStatus,
        signupId,
        failure,
        smsNanos,
        codeSms,
        replySentNanos,
        replyAnsweredNanos,
        replyStatus,
        replyFailure,
        confirmedNanos,
        confirmations,
        ledgerNanos,
        ledgerRecords);
  }

  /** A consistent copy of a flow, for the summary. */
  record Snapshot(
      int index,
      String phone,
      long intendedNanos,
      long acceptedNanos,
      int signupStatus,
      String signupId,
      String failure,
      long smsNanos,
      int codeSms,
      long replySentNanos,
      long replyAnsweredNanos,
      int replyStatus,
      String replyFailure,
      long confirmedNanos,
      int confirmations,
      long ledgerNanos,
      int ledgerRecords) {

    static final String NOT_ANSWERED = "signup not answered";

    boolean accepted() {
      return failure == null && signupStatus == 202;
    }

    boolean complete() {
      return confirmations > 0 && ledgerRecords > 0;
    }

    /** Why the signup was not accepted: its HTTP status, or the error when none came. */
    String refusal() {
      if (failure != null) {
        int colon = failure.indexOf(':');
        String error = colon < 0 ? failure : failure.substring(0, colon);
        return error.substring(error.lastIndexOf('.') + 1);
      }
      return "HTTP " + signupStatus;
    }

    /** The step the flow stopped before, for an unfinished flow. */
    String stuckAt() {
      if (acceptedNanos == 0) {
        return NOT_ANSWERED;
      }
      if (!accepted()) {
        return "signup refused";
      }
      if (smsNanos == 0) {
        return "no SMS at the provider";
      }
      if (confirmations == 0 && replyFailure != null) {
        return "YES webhook failed";
      }
      if (confirmations == 0) {
        return "not confirmed";
      }
      return "not in the ledger";
    }
  }
}
