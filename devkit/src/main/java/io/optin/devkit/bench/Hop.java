package io.optin.devkit.bench;

import java.util.function.ToLongFunction;

/**
 * A step of the flow the bench times: from one moment of a flow to a later one. A flow is timed on
 * a hop only when both moments happened.
 */
enum Hop {
  SIGNUP_ANSWERED(
      "signup_answered",
      "signup sent → answered 202 (HTTP) or acknowledged (Kafka), from its intended send time",
      Flow.Snapshot::intendedNanos,
      f -> f.accepted() ? f.acceptedNanos() : 0),
  ACCEPTED_TO_SMS(
      "accepted_to_sms",
      "signup accepted → SMS request at the provider",
      f -> f.accepted() ? f.acceptedNanos() : 0,
      Flow.Snapshot::smsNanos),
  YES_ANSWERED(
      "yes_answered",
      "YES sent → inbound webhook answered",
      Flow.Snapshot::replySentNanos,
      Flow.Snapshot::replyAnsweredNanos),
  YES_TO_CONFIRMED(
      "yes_to_confirmed",
      "YES sent → SubscriberConfirmed committed (read_committed)",
      Flow.Snapshot::replySentNanos,
      Flow.Snapshot::confirmedNanos),
  CONFIRMED_TO_LEDGER(
      "confirmed_to_ledger",
      "SubscriberConfirmed → CONFIRMED record in the consent ledger",
      Flow.Snapshot::confirmedNanos,
      Flow.Snapshot::ledgerNanos),
  END_TO_END(
      "end_to_end",
      "signup intended → CONFIRMED in the ledger (whole flow, reply delay included)",
      Flow.Snapshot::intendedNanos,
      Flow.Snapshot::ledgerNanos);

  final String id;
  final String label;
  private final ToLongFunction<Flow.Snapshot> from;
  private final ToLongFunction<Flow.Snapshot> to;

  Hop(
      String id,
      String label,
      ToLongFunction<Flow.Snapshot> from,
      ToLongFunction<Flow.Snapshot> to) {
    this.id = id;
    this.label = label;
    this.from = from;
    this.to = to;
  }

  /**
   * The flow's time on this hop in nanoseconds (0 when the clocks of two sides put the end a hair
   * before the start), or -1 when it did not make the hop.
   */
  long nanos(Flow.Snapshot flow) {
    long start = from.applyAsLong(flow);
    long end = to.applyAsLong(flow);
    if (start == 0 || end == 0) {
      return -1;
    }
    return Math.max(0, end - start);
  }
}
