package io.optin.dispatcher.fallback;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.challenge.RefusedRecords;
import io.optin.dispatcher.sms.TwilioFailures;
import io.optin.dispatcher.sms.TwilioFailures.FallbackRule;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.streams.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the code of an open challenge again on the program's next channel when its current attempt
 * failed for good ({@link TwilioFailures}) or was not delivered within {@code fallback.after};
 * never after the challenge closed or its window ended, never twice on one channel.
 *
 * <p>Reads the challenge events (ISSUED and RESENT open or re-arm a run, CLOSED ends it) and the
 * delivery reports (the sender's, naming the challenge, and the status callbacks, naming only the
 * provider sid); writes send commands with their {@code channel}, and a SUPPRESSED challenge event
 * when the fallback stops without a send. State and outputs commit together (exactly-once), so a
 * restart or a rebalance neither forgets a decision nor takes it twice.
 */
final class FallbackProcessor
    implements Processor<byte[], Decoded<SpecificRecord>, String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackProcessor.class);

  private final FallbackConfig config;
  private final Supplier<String> ids;
  private final RefusedRecords refused;
  private final Duration tick;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, PhoneFallbacks> phones;
  private KeyValueStore<String, String> wakeups;

  FallbackProcessor(
      FallbackConfig config, Supplier<String> ids, RefusedRecords refused, Duration tick) {
    this.config = Objects.requireNonNull(config, "config");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.refused = Objects.requireNonNull(refused, "refused");
    this.tick = Objects.requireNonNull(tick, "tick");
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.phones = context.getStateStore(FallbackTopology.STORE);
    this.wakeups = context.getStateStore(FallbackTopology.WAKEUPS);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::wakeUp);
  }

  @Override
  public void process(Record<byte[], Decoded<SpecificRecord>> record) {
    Decoded<SpecificRecord> decoded = record.value();
    if (!decoded.isOk()) {
      // An unreadable challenge event is dead-lettered by the dispatcher's own reader of that
      // topic.
      boolean report =
          context
              .recordMetadata()
              .map(m -> m.topic().equals(FallbackTopology.REPORTS))
              .orElse(false);
      if (report) {
        deadLetter(record, decoded);
      }
      return;
    }
    // A decision taken on a record is dated by it, unless the wall clock is later: a report read
    // late still starts the next attempt's wait from now.
    Instant now = Instant.ofEpochMilli(Math.max(context.currentSystemTimeMs(), record.timestamp()));
    if (decoded.value() instanceof ChallengeEvent event) {
      onChallenge(event, Instant.ofEpochMilli(record.timestamp()), now);
    } else if (decoded.value() instanceof SmsDeliveryReport report) {
      onReport(report, now);
    }
  }

  private void onChallenge(ChallengeEvent event, Instant eventTime, Instant now) {
    String phone = event.getPhone();
    if (event.getType() == ChallengeEventType.ISSUED) {
      if (config.channels().after(event.getProgramId(), MessageChannel.SMS).isEmpty()) {
        return; // SMS only: nothing to watch
      }
      PhoneFallbacks state = load(phone);
      if (state.run(event.getChallengeId()).isEmpty()) {
        save(phone, state, state.with(ChallengeRun.issued(event, dueFrom(eventTime, now))));
      }
    } else if (event.getType() == ChallengeEventType.RESENT) {
      PhoneFallbacks state = load(phone);
      state
          .run(event.getChallengeId())
          .filter(
              run -> run.current() == MessageChannel.SMS && !run.finished() && run.dueAt() != null)
          .ifPresent(run -> save(phone, state, state.with(run.rearmed(dueFrom(eventTime, now)))));
    } else if (event.getType() == ChallengeEventType.CLOSED) {
      PhoneFallbacks state = load(phone);
      if (state.run(event.getChallengeId()).isPresent()) {
        save(phone, state, state.without(event.getChallengeId()));
      }
    }
  }

  private void onReport(SmsDeliveryReport report, Instant now) {
    String phone = report.getPhone();
    PhoneFallbacks state = load(phone);
    if (state.isEmpty()) {
      return;
    }
    MessageChannel channel = channelOf(report);
    if (report.getSource() == ReportSource.SENDER || report.getChallengeId() != null) {
      var found = state.run(report.getChallengeId());
      if (found.isEmpty() || found.get().current() != channel) {
        return; // not watched, or a late report of a channel already left behind
      }
      ChallengeRun run = found.get().withSid(report.getMessageSid());
      PhoneFallbacks next = state.with(run);
      next = apply(phone, next, run, channel, report.getStatus(), report.getErrorCode(), now);
      if (report.getMessageSid() != null) {
        // Callbacks about this sid that came before the sender's report, in their order.
        for (PhoneFallbacks.Stray stray : next.straysOf(report.getMessageSid())) {
          ChallengeRun current = next.run(run.challengeId()).orElse(null);
          if (current == null || current.current() != channel) {
            break;
          }
          next = apply(phone, next, current, channel, stray.status(), stray.errorCode(), now);
        }
        next = next.withoutStraysOf(report.getMessageSid());
      }
      save(phone, state, next);
      return;
    }
    if (report.getMessageSid() == null) {
      return;
    }
    var claimed = state.runWithSid(report.getMessageSid());
    if (claimed.isPresent()) {
      save(
          phone,
          state,
          apply(
              phone,
              state,
              claimed.get(),
              channel,
              report.getStatus(),
              report.getErrorCode(),
              now));
    } else if (isFinal(report.getStatus())) {
      save(
          phone,
          state,
          state.withStray(
              new PhoneFallbacks.Stray(
                  report.getMessageSid(),
                  channel,
                  report.getStatus(),
                  report.getErrorCode(),
                  report.getOccurredAt())));
    }
  }

  /** The run after its current attempt reached {@code status}; sends what that calls for. */
  private PhoneFallbacks apply(
      String phone,
      PhoneFallbacks state,
      ChallengeRun run,
      MessageChannel channel,
      DeliveryStatus status,
      Integer errorCode,
      Instant now) {
    if (run.finished()) {
      return state;
    }
    if (status == DeliveryStatus.DELIVERED) {
      return state.with(run.delivered());
    }
    if (status != DeliveryStatus.UNDELIVERED && status != DeliveryStatus.FAILED) {
      return state;
    }
    FallbackRule rule = ruleOf(channel, errorCode);
    String failure = FallbackChannels.name(channel) + " " + describe(status, errorCode);
    return switch (rule) {
      case NEXT_CHANNEL_NOW -> next(phone, state, run, failure, now);
      case AFTER_DELAY -> state; // the due time stands
      case NO_FALLBACK -> {
        suppressed(phone, run, "fallback refused: " + failure + " forbids any other channel", now);
        yield state.with(run.finish());
      }
    };
  }

  /**
   * A failed call with no code is busy, no-answer, failed or canceled: it is over, nothing more
   * will come of it. Other channels go by the table.
   */
  static FallbackRule ruleOf(MessageChannel channel, Integer errorCode) {
    if (channel == MessageChannel.VOICE && errorCode == null) {
      return FallbackRule.NEXT_CHANNEL_NOW;
    }
    return TwilioFailures.ruleFor(errorCode);
  }

  /** Asks for the code on the program's next channel, or says that none is left. */
  private PhoneFallbacks next(
      String phone, PhoneFallbacks state, ChallengeRun run, String why, Instant now) {
    if (!now.isBefore(run.expiresAt())) {
      return state.without(run.challengeId());
    }
    var next = config.channels().after(run.programId(), run.current());
    if (next.isEmpty() || run.tried().contains(next.get())) {
      suppressed(
          phone,
          run,
          "no fallback channel left after "
              + String.join(", ", run.tried().stream().map(FallbackChannels::name).toList())
              + " ("
              + why
              + ")",
          now);
      return state.with(run.finish());
    }
    MessageChannel channel = next.get();
    SmsSendRequested command =
        SmsSendRequested.newBuilder()
            .setCommandId(ids.get())
            .setKind(SmsKind.CONFIRMATION_CODE)
            .setChallengeId(run.challengeId())
            .setProgramId(run.programId())
            .setPhone(phone)
            .setFromNumber(null)
            .setLocale(run.locale() == null ? "en" : run.locale())
            .setExpiresAt(run.expiresAt())
            .setRequestedAt(now)
            .setChannel(channel)
            .build();
    context.forward(
        new Record<String, SpecificRecord>(phone, command, now.toEpochMilli()),
        FallbackTopology.TO_SMS_OUTBOUND);
    LOG.info(
        "Challenge {} of {}: {}; code asked by {}",
        run.challengeId(),
        PhoneMask.mask(phone),
        why,
        FallbackChannels.name(channel));
    return state.with(run.movedTo(channel, now.plus(config.after())));
  }

  private void suppressed(String phone, ChallengeRun run, String reason, Instant now) {
    ChallengeEvent event =
        ChallengeEvent.newBuilder()
            .setChallengeId(run.challengeId())
            .setType(ChallengeEventType.SUPPRESSED)
            .setSignupId(run.signupId())
            .setProgramId(run.programId())
            .setPhone(phone)
            .setFromNumber(null)
            .setIssuedAt(run.issuedAt() == null ? now : run.issuedAt())
            .setExpiresAt(run.expiresAt())
            .setResendCount(0)
            .setOutcome(ChallengeOutcome.OPEN)
            .setFailedAttempts(0)
            .setReason(reason)
            .setLocale(run.locale())
            .setChannel(run.sourceChannel())
            .setConsentTextSha256(run.consentTextSha256())
            .setRequestedAt(run.requestedAt())
            .setOccurredAt(now)
            .build();
    context.forward(
        new Record<String, SpecificRecord>(phone, event, now.toEpochMilli()),
        FallbackTopology.TO_CHALLENGES);
    LOG.info("Challenge {} of {}: {}", run.challengeId(), PhoneMask.mask(phone), reason);
  }

  /** Runs due by the wall clock: the next channel, or the end of a window. */
  private void wakeUp(long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = wakeups.range(null, wakeKey(nowMs, "", ""))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> entry : due) {
      wakeups.delete(entry.key);
      String[] parts = entry.key.split("\\|", 3);
      String phone = parts[1];
      String challengeId = parts[2];
      PhoneFallbacks state = load(phone);
      var found = state.run(challengeId);
      if (found.isEmpty()) {
        continue;
      }
      ChallengeRun run = found.get();
      if (!now.isBefore(run.expiresAt())) {
        save(phone, state, state.without(challengeId));
      } else if (run.dueAt() != null && !now.isBefore(run.dueAt()) && !run.finished()) {
        String why =
            FallbackChannels.name(run.current())
                + " not delivered within "
                + config.after().toSeconds()
                + " s";
        save(phone, state, next(phone, state, run, why, now));
      } else {
        wakeups.put(wakeKey(run.wakeAt().toEpochMilli(), phone, challengeId), "");
      }
    }
  }

  private PhoneFallbacks load(String phone) {
    PhoneFallbacks stored = phones.get(phone);
    return stored == null ? PhoneFallbacks.EMPTY : stored;
  }

  /** Stores {@code after} and moves the wake-up entries of the runs whose wake time changed. */
  private void save(String phone, PhoneFallbacks before, PhoneFallbacks after) {
    if (after.equals(before)) {
      return;
    }
    for (ChallengeRun old : before.runs().values()) {
      ChallengeRun now = after.runs().get(old.challengeId());
      if (now == null || !now.wakeAt().equals(old.wakeAt())) {
        wakeups.delete(wakeKey(old.wakeAt().toEpochMilli(), phone, old.challengeId()));
      }
    }
    for (ChallengeRun now : after.runs().values()) {
      ChallengeRun old = before.runs().get(now.challengeId());
      if (old == null || !now.wakeAt().equals(old.wakeAt())) {
        wakeups.put(wakeKey(now.wakeAt().toEpochMilli(), phone, now.challengeId()), "");
      }
    }
    if (after.isEmpty()) {
      phones.delete(phone);
    } else {
      phones.put(phone, after);
    }
  }

  /** Sorts by time: zero-padded epoch milliseconds, then phone and challenge. */
  static String wakeKey(long epochMs, String phone, String challengeId) {
    return String.format("%015d|%s|%s", epochMs, phone, challengeId);
  }

  /** The wait of an attempt starts when it was asked for, or when it is read if that is later. */
  private Instant dueFrom(Instant eventTime, Instant now) {
    return (eventTime.isAfter(now) ? eventTime : now).plus(config.after());
  }

  private static MessageChannel channelOf(SmsDeliveryReport report) {
    return report.getChannel() == null || report.getChannel() == MessageChannel.UNKNOWN
        ? MessageChannel.SMS
        : report.getChannel();
  }

  private static boolean isFinal(DeliveryStatus status) {
    return status == DeliveryStatus.DELIVERED
        || status == DeliveryStatus.UNDELIVERED
        || status == DeliveryStatus.FAILED;
  }

  private static String describe(DeliveryStatus status, Integer errorCode) {
    String state = status.name().toLowerCase(java.util.Locale.ROOT);
    if (errorCode == null) {
      return state;
    }
    return state
        + " ("
        + errorCode
        + TwilioFailures.row(errorCode).map(row -> " " + row.meaning()).orElse("")
        + ")";
  }

  private void deadLetter(
      Record<byte[], Decoded<SpecificRecord>> record, Decoded<SpecificRecord> decoded) {
    var letter =
        refused.deadLetter(
            record.key(),
            decoded.raw(),
            context.recordMetadata(),
            decoded.reason(),
            decoded.field(),
            Instant.ofEpochMilli(context.currentSystemTimeMs()));
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    context.forward(
        new Record<String, SpecificRecord>(key, letter, record.timestamp()),
        FallbackTopology.TO_DEAD_LETTERS);
  }
}
