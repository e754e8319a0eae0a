package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ProgramOptOut;
import io.optin.domain.screening.PhoneRegion;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reply processor's stores and outputs, written together: a decision is applied by updating the
 * phone's challenges, their deadlines and statuses, and forwarding the CLOSED events, confirmations
 * and status records. Under exactly-once all of it commits atomically with the input offset.
 */
final class ReplyState {

  private final ProcessorContext<String, Object> context;
  private final KeyValueStore<String, PhoneChallenges> challenges;
  private final KeyValueStore<String, Long> dedupe;
  private final KeyValueStore<String, OutcomeEntry> outcomes;
  private final KeyValueStore<String, PhoneStatuses> statuses;
  private final KeyValueStore<String, String> expiries;
  private final StatusBook statusBook = new StatusBook();
  private final OptinMetrics metrics;
  private final OutcomeListener listener;

  ReplyState(
      ProcessorContext<String, Object> context, OptinMetrics metrics, OutcomeListener listener) {
    this.context = context;
    this.metrics = metrics;
    this.listener = listener;
    this.challenges = context.getStateStore(ReplyStores.CHALLENGES);
    this.dedupe = context.getStateStore(ReplyStores.DEDUPE);
    this.outcomes = context.getStateStore(ReplyStores.OUTCOMES);
    this.statuses = context.getStateStore(ReplyStores.SUBSCRIBER_STATUS);
    this.expiries = context.getStateStore(ReplyStores.EXPIRIES);
  }

  StatusBook statusBook() {
    return statusBook;
  }

  KeyValueStore<String, PhoneChallenges> challengeStore() {
    return challenges;
  }

  KeyValueStore<String, Long> dedupeStore() {
    return dedupe;
  }

  KeyValueStore<String, OutcomeEntry> outcomeStore() {
    return outcomes;
  }

  KeyValueStore<String, String> expiryStore() {
    return expiries;
  }

  PhoneChallenges challenges(String phone) {
    PhoneChallenges known = challenges.get(phone);
    return known == null ? PhoneChallenges.EMPTY : known;
  }

  PhoneStatuses statuses(String phone) {
    PhoneStatuses known = statuses.get(phone);
    return known == null ? PhoneStatuses.EMPTY : known;
  }

  /**
   * Records the id as processed; false if it was already (a replayed webhook or a retried attempt).
   */
  boolean firstSighting(String id) {
    if (dedupe.get(id) != null) {
      return false;
    }
    dedupe.put(id, context.currentSystemTimeMs());
    return true;
  }

  /** Stores a newly announced or refreshed open challenge and its deadline. */
  void opened(String phone, PhoneChallenges next, OpenChallenge challenge) {
    putChallenges(phone, next);
    expiries.put(
        ReplyStores.expiryKey(challenge.expiresAt(), phone, challenge.challengeId()), phone);
  }

  /**
   * Applies a decision: stores the next state, forgets the deadlines of closed challenges, forwards
   * a CLOSED event per closure and a confirmation per CONFIRMED closure, then the status changes.
   */
  void apply(String phone, Decision decision, StatusBook.Transition statusChange, long timestamp) {
    apply(phone, decision, statusChange, timestamp, null);
  }

  /**
   * Applies the decision on answer {@code answerId} (the usual status changes), and records its
   * outcome, if it has one, for the webhook or code entry waiting for it.
   */
  void answered(String phone, String answerId, Decision decision, long timestamp) {
    apply(
        phone,
        decision,
        statusBook.closed(statuses(phone), decision.closures()),
        timestamp,
        answerId);
  }

  /**
   * The stores are written in the order the HTTP side reads them in (interactive queries see each
   * write at once, not the record's whole processing): the statuses, then the answer's outcome,
   * then the challenges. So an answer read decided always finds its status changed, and a code read
   * settled (a challenge closed CONFIRMED) always finds the outcome of the answer that confirmed
   * it: the attempt that confirmed it itself is answered {@code confirmed}, never {@code
   * already_confirmed}. The waiters are told after every write.
   */
  private void apply(
      String phone,
      Decision decision,
      StatusBook.Transition statusChange,
      long timestamp,
      String answerId) {
    for (Closure closure : decision.closures()) {
      OpenChallenge c = closure.challenge();
      expiries.delete(ReplyStores.expiryKey(c.expiresAt(), phone, c.challengeId()));
      context.forward(
          new Record<>(phone, (Object) ReplyRecords.closed(phone, closure), timestamp),
          ReplyTopology.CHALLENGES_SINK);
      if (closure.outcome() == ChallengeOutcome.CONFIRMED) {
        context.forward(
            new Record<>(phone, (Object) ReplyRecords.confirmed(phone, closure), timestamp),
            ReplyTopology.CONFIRMED_SINK);
      }
      count(phone, closure);
    }
    applyStatus(phone, statusChange, timestamp);
    Optional<Outcome> outcome = answerId == null ? Optional.empty() : decision.outcome();
    outcome.ifPresent(
        o -> outcomes.put(answerId, new OutcomeEntry(o.text(), context.currentSystemTimeMs())));
    putChallenges(phone, decision.next());
    if (outcome.isPresent()) {
      listener.decided(answerId);
    }
    if (decision.closures().stream().anyMatch(c -> c.outcome() == ChallengeOutcome.CONFIRMED)) {
      listener.confirmed(phone);
    }
  }

  /**
   * Applies a decision whose closures move the statuses the usual way (outcome of each closure).
   */
  void apply(String phone, Decision decision, long timestamp) {
    apply(phone, decision, statusBook.closed(statuses(phone), decision.closures()), timestamp);
  }

  /** Publishes what a STOP of scope program opted out of, for the ledger. */
  void programOptOut(String phone, ProgramOptOut optOut, long timestamp) {
    context.forward(
        new Record<>(phone, (Object) optOut, timestamp), ReplyTopology.PROGRAM_OPT_OUTS_SINK);
  }

  void applyStatus(String phone, StatusBook.Transition transition, long timestamp) {
    if (transition.changes().isEmpty()) {
      return;
    }
    statuses.put(phone, transition.next());
    for (StatusChange change : transition.changes()) {
      context.forward(
          new Record<>(
              ReplyRecords.statusKey(change.programId(), phone),
              (Object) ReplyRecords.status(phone, change),
              timestamp),
          ReplyTopology.STATUS_SINK);
    }
  }

  private void count(String phone, Closure closure) {
    switch (closure.outcome()) {
      case CONFIRMED -> {
        String method =
            closure.method() == null ? "unknown" : closure.method().name().toLowerCase(Locale.ROOT);
        metrics.confirmed(method, closure.challenge().programId(), PhoneRegion.of(phone));
        // From the answer's reception (its event time) to this forward, parked time included.
        metrics.replyToConfirmed(
            method, Duration.ofMillis(context.currentSystemTimeMs() - closure.at()));
      }
      case EXPIRED -> metrics.expired();
      case LOCKED -> metrics.locked();
      default -> {
        // REJECTED (opted out) is counted as a STOP reply by the webhook.
      }
    }
  }

  /**
   * Every phone this task holds a challenge, a parked answer or a status for (a phone in both
   * stores comes twice), read store by store without holding them in memory.
   */
  void forEachPhone(Consumer<String> action) {
    try (KeyValueIterator<String, PhoneChallenges> it = challenges.all()) {
      it.forEachRemaining(entry -> action.accept(entry.key));
    }
    try (KeyValueIterator<String, PhoneStatuses> it = statuses.all()) {
      it.forEachRemaining(entry -> action.accept(entry.key));
    }
  }

  /**
   * Forgets the phone (its challenges, their deadlines, its statuses) and forwards a tombstone for
   * each of its status keys and for its confirmation key, so that every sink deletes its rows. No
   * CLOSED event is written: it would carry the phone again, and the audit sink would seal it under
   * a new data key after the ERASED record.
   */
  void erase(String phone, long timestamp) {
    PhoneChallenges known = challenges(phone);
    for (OpenChallenge c : known.open()) {
      expiries.delete(ReplyStores.expiryKey(c.expiresAt(), phone, c.challengeId()));
    }
    challenges.delete(phone);
    for (String programId : statuses(phone).programs().keySet()) {
      context.forward(
          new Record<>(ReplyRecords.statusKey(programId, phone), null, timestamp),
          ReplyTopology.STATUS_SINK);
    }
    statuses.delete(phone);
    context.forward(new Record<>(phone, null, timestamp), ReplyTopology.CONFIRMED_SINK);
  }

  void putChallenges(String phone, PhoneChallenges next) {
    if (next.nothingKnown()) {
      challenges.delete(phone);
    } else {
      challenges.put(phone, next);
    }
  }
}
