package io.optin.replies.matching;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.DeadLetter;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReplyIntent;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.Decoded;
import io.optin.replies.matching.ReplyTopologyConfig.StopScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a phone's challenges with its replies and code attempts, once per message sid or attempt
 * id; a record it cannot read or trust goes to the dead letters (a typed refusal) and the next one
 * is processed normally.
 */
final class ReplyProcessor implements Processor<String, Decoded<?>, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyProcessor.class);

  private final ReplyTopologyConfig config;
  private final ReplyMatcher matcher;
  private final SubjectKeys subjects;
  private final Supplier<String> ids;
  private final OptinMetrics metrics;
  private final OutcomeListener listener;
  private ProcessorContext<String, Object> context;
  private ReplyState state;

  ReplyProcessor(
      ReplyTopologyConfig config,
      ReplyMatcher matcher,
      SubjectKeys subjects,
      Supplier<String> ids,
      OptinMetrics metrics,
      OutcomeListener listener) {
    this.config = config;
    this.matcher = matcher;
    this.subjects = subjects;
    this.ids = ids;
    this.metrics = metrics;
    this.listener = listener;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.state = new ReplyState(context, metrics, listener);
    context.schedule(
        config.punctuationInterval(),
        PunctuationType.WALL_CLOCK_TIME,
        new ChallengeExpiry(state, matcher, config.expiryGrace().toMillis()));
    context.schedule(
        config.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, new RetentionPurge(state, config));
  }

  /**
   * Processes one record. Nothing is caught here: a failure past the refusals (the registry
   * unreachable while a confirmation is serialized, a store error, a bug) fails the stream thread,
   * the transaction is aborted and the record processed again; dead-lettering it would commit its
   * offset without its confirmation.
   */
  @Override
  public void process(Record<String, Decoded<?>> record) {
    Decoded<?> decoded = record.value();
    if (decoded == null || !decoded.isOk()) {
      deadLetter(
          record,
          decoded == null ? "no record value" : decoded.reason(),
          decoded == null ? null : decoded.field());
      return;
    }
    Object value = decoded.value();
    if (value instanceof ErasureRequested erasure) {
      onErasure(erasure, record.timestamp());
      return;
    }
    String phone = record.key();
    Refusal refusal = refusal(phone, value);
    if (refusal != null) {
      deadLetter(record, refusal.reason(), refusal.field());
      return;
    }
    if (value instanceof ChallengeEvent event) {
      onChallenge(phone, event, record.timestamp());
    } else if (value instanceof InboundSms sms) {
      onInbound(phone, sms);
    } else if (value instanceof VerificationAttempt attempt) {
      onAttempt(phone, attempt);
    }
  }

  private record Refusal(String reason, String field) {}

  /**
   * Why a decoded record cannot be processed, or null. The key must be the phone the record speaks
   * of.
   */
  private static Refusal refusal(String key, Object value) {
    String phone =
        value instanceof ChallengeEvent e
            ? e.getPhone()
            : value instanceof InboundSms s
                ? s.getPhone()
                : value instanceof VerificationAttempt a ? a.getPhone() : null;
    if (phone == null) {
      return new Refusal("unexpected record type " + value.getClass().getName(), null);
    }
    if (!phone.equals(key)) {
      return new Refusal(
          "record key does not match the phone of the record (topics are keyed by phone)", "phone");
    }
    if (value instanceof InboundSms s
        && s.getIntent() == ReplyIntent.CODE
        && s.getCodeHash() == null) {
      return new Refusal("CODE reply without codeHash", "codeHash");
    }
    return null;
  }

  private void onChallenge(String phone, ChallengeEvent event, long timestamp) {
    // CLOSED events are this processor's own output read back; SUPPRESSED opened nothing.
    if (event.getType() != ChallengeEventType.ISSUED
        && event.getType() != ChallengeEventType.RESENT) {
      return;
    }
    PhoneChallenges before = state.challenges(phone);
    PhoneChallenges after = matcher.track(before, event);
    if (after.equals(before)) {
      return;
    }
    OpenChallenge challenge = after.openChallenge(event.getChallengeId()).orElseThrow();
    state.opened(phone, after, challenge);
    if (before.openChallenge(challenge.challengeId()).isEmpty()) {
      long at = event.getOccurredAt().toEpochMilli();
      state.applyStatus(
          phone, state.statusBook().issued(state.statuses(phone), challenge, at), timestamp);
    }
    if (after.stoppedAfter(challenge)) {
      // The subscriber sent STOP after this code was sent; the STOP was read first (the challenge
      // and the reply come from two topics), and answers it now.
      state.apply(phone, matcher.stoppedBefore(after, challenge), timestamp);
      LOG.info(
          "STOP from {} read before its challenge, applied once it arrived", PhoneMask.mask(phone));
    }
    matchParked(phone);
  }

  /**
   * The answers read before any challenge they could answer, matched again now that one has
   * arrived, each at its own event time: a YES sent within a second of its SMS confirms even when
   * this processor reads it first. One still unmatched stays parked.
   */
  private void matchParked(String phone) {
    for (Reply parked : state.challenges(phone).parked()) {
      Decision decision =
          matcher.decide(state.challenges(phone).withoutParked(parked.id()), parked);
      if (decision.outcome().map(o -> o.kind() == Outcome.Kind.NO_CHALLENGE).orElse(true)) {
        continue;
      }
      state.answered(phone, parked.id(), decision, parked.at());
      LOG.info(
          "{} from {} read before its challenge, matched once it arrived: {}",
          parked.method(),
          PhoneMask.mask(phone),
          decision.outcome().orElseThrow());
    }
  }

  private void onInbound(String phone, InboundSms sms) {
    if (!state.firstSighting(sms.getMessageSid())) {
      return;
    }
    long r = sms.getReceivedAt().toEpochMilli();
    // No channel is an SMS: answers recorded before channels existed, and the SMS webhook's own.
    MessageChannel channel = sms.getChannel() == null ? MessageChannel.SMS : sms.getChannel();
    switch (sms.getIntent()) {
      case CONFIRM -> answer(phone, Reply.yes(sms.getMessageSid(), sms.getToNumber(), r, channel));
      case CODE ->
          answer(
              phone,
              Reply.code(sms.getMessageSid(), sms.getCodeHash(), sms.getToNumber(), r, channel));
      case STOP -> optOut(phone, sms, r);
      case START -> {
        state.putChallenges(phone, state.challenges(phone).withoutStopBefore(r));
        state.applyStatus(phone, state.statusBook().optedIn(state.statuses(phone), r), r);
      }
      default -> {
        // HELP, REVIEW and anything else change nothing; the webhook answered them already. A
        // REVIEW is a person's to judge: it is recorded (ledger, metric), never acted on here.
      }
    }
  }

  private void onAttempt(String phone, VerificationAttempt attempt) {
    if (!state.firstSighting(attempt.getAttemptId())) {
      return;
    }
    answer(
        phone,
        Reply.codeEntry(
            attempt.getAttemptId(),
            attempt.getProgramId(),
            attempt.getCodeHash(),
            attempt.getAttemptedAt().toEpochMilli()));
  }

  private void answer(String phone, Reply reply) {
    Decision decision = matcher.decide(state.challenges(phone), reply);
    if (unmatched(decision)) {
      // Perhaps read before its challenge (see PhoneChallenges): kept to be matched again. Its
      // outcome is told now all the same, so the webhook and the code entry answer at once.
      decision =
          Decision.answered(Outcome.NO_CHALLENGE, decision.next().withParked(reply), List.of());
    }
    state.answered(phone, reply.id(), decision, reply.at());
    decision
        .outcome()
        .ifPresent(
            outcome ->
                LOG.debug("{} from {} -> {}", reply.method(), PhoneMask.mask(phone), outcome));
  }

  private static boolean unmatched(Decision decision) {
    return decision.closures().isEmpty()
        && decision.outcome().map(o -> o.kind() == Outcome.Kind.NO_CHALLENGE).orElse(false);
  }

  /**
   * STOP, in the scope the webhook stamped on it ({@code replies.stop.scope} when it was received;
   * this processor's own setting for a STOP stamped with none). A STOP stamped PROGRAM also
   * publishes which programs it opted out of: the ledger records an OPTED_OUT for each of those,
   * and for any other STOP one for the whole phone (from the reply itself).
   */
  private void optOut(String phone, InboundSms stop, long at) {
    Optional<StopScope> stamped = StopScope.stampedOn(stop.getStopScope());
    boolean perProgram = stamped.orElse(config.stopScope()) == StopScope.PROGRAM;
    // A STOP supersedes every answer given before it: none may confirm once its challenge arrives.
    // It is also remembered: a challenge it answers may still be read after it (whatever the scope:
    // which program such a challenge is for is not known yet, so the STOP errs on opting out).
    PhoneChallenges before = state.challenges(phone).forgettingParkedBefore(at + 1).withStop(at);
    Set<String> scope = perProgram ? before.programsAnsweredBy(stop.getToNumber()) : Set.of();
    Decision decision = matcher.optOut(before, at, scope);
    Set<String> programs = new HashSet<>();
    before.closed().forEach(c -> programs.add(c.programId()));
    PhoneStatuses current = state.statuses(phone);
    StatusBook.Transition statuses =
        state.statusBook().optedOut(current, decision.closures(), programs, at, scope);
    state.apply(phone, decision, statuses, at);
    if (stamped.orElse(null) == StopScope.PROGRAM) {
      Set<String> optedOut =
          state.statusBook().optedOutPrograms(current, decision.closures(), programs, scope);
      state.programOptOut(phone, ReplyRecords.programOptOut(stop, optedOut, scope.isEmpty()), at);
    }
  }

  /**
   * Forgets every phone of this task whose subject key is the erased one, and tells the status and
   * confirmation topics with tombstones. The request names only the subject key (the phone is not
   * written in clear where it would outlive the erasure), so the phones this task holds are hashed
   * until one matches: erasures are rare, and the scan reads one partition's stores.
   */
  private void onErasure(ErasureRequested erasure, long timestamp) {
    Set<String> phones = new TreeSet<>();
    state.forEachPhone(
        phone -> {
          if (subjects.keyFor(phone).equals(erasure.getSubjectKey())) {
            phones.add(phone);
          }
        });
    for (String phone : phones) {
      state.erase(phone, timestamp);
      LOG.info(
          "erased {} (request {}): state forgotten, status and confirmation tombstones written",
          PhoneMask.mask(phone),
          erasure.getRequestId());
    }
    if (phones.isEmpty()) {
      LOG.info(
          "erasure request {}: no phone of subject {} in this partition's state",
          erasure.getRequestId(),
          erasure.getSubjectKey());
    }
  }

  private void deadLetter(Record<String, Decoded<?>> record, String reason, String field) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    byte[] raw = record.value() == null ? null : record.value().raw();
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setDeadLetterId(ids.get())
            .setApplication(ReplyTopology.APPLICATION_ID)
            .setReason(reason)
            .setField(field)
            .setSourceTopic(meta == null ? null : meta.topic())
            .setSourcePartition(meta == null ? null : meta.partition())
            .setSourceOffset(meta == null ? null : meta.offset())
            .setRawKey(
                record.key() == null
                    ? null
                    : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
            .setRawValue(raw == null ? null : ByteBuffer.wrap(raw))
            .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .build();
    LOG.warn(
        "dead-lettered a record of {} at offset {}: {}",
        letter.getSourceTopic(),
        letter.getSourceOffset(),
        reason);
    context.forward(
        new Record<>(record.key(), (Object) letter, record.timestamp()),
        ReplyTopology.DEAD_LETTER_SINK);
  }
}
