package io.optin.audit;

import io.optin.audit.ledger.ConsentStep;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.PersonalData;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.screening.ScreenResult;
import io.optin.domain.screening.SignupScreen;
import io.optin.schemas.serde.AvroTrust;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The consent steps of the flow (FLOW.md, audit-sink): which audit records each pipeline record
 * yields. Pure: no state, no I/O; deduplication is the processor's job, under the keys given here.
 */
final class ConsentSteps {

  static {
    // Records are copied with newBuilder(record), which loads our generated classes through Avro's
    // trust check.
    AvroTrust.install();
  }

  private static final String PROGRAM_OPT_OUT = "program-opt-out|";

  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

  private final ConsentAuditTopologyConfig cfg;
  private final SignupScreen screen = new SignupScreen();

  ConsentSteps(ConsentAuditTopologyConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * A signup: REQUESTED with its evidence, as normalised by the same screen the dispatcher applies;
   * the third-party proof (TrustedForm, LeadiD...) is personal data, sealed with the rest.
   */
  Derivation signup(String key, SignupRequested signup, RecordOrigin origin) {
    ScreenResult screened = screen.screen(signup);
    if (screened instanceof ScreenResult.Refused refused) {
      return Derivation.refused("signup refused: " + refused.reason(), refused.field());
    }
    SignupRequested s = ((ScreenResult.Accepted) screened).signup();
    ConsentEvidence evidence = s.getEvidence();
    PersonalData personal =
        personal(s.getPhone())
            .setPageUrl(evidence.getPageUrl())
            .setIp(evidence.getIp())
            .setUserAgent(evidence.getUserAgent())
            .setFormEvidence(s.getFormEvidence())
            .build();
    ConsentEvidence inClear =
        ConsentEvidence.newBuilder(evidence)
            .setPageUrl(null)
            .setIp(null)
            .setUserAgent(null)
            .build();
    return Derivation.of(
        new ConsentStep(
            step(ConsentEventType.REQUESTED, s.getPhone(), s.getOccurredAt(), origin)
                .setProgramId(s.getProgramId())
                .setSignupId(s.getSignupId())
                .setEvidence(inClear)
                .build(),
            personal));
  }

  /**
   * A challenge: SUPPRESSED, or how it CLOSED; ISSUED and RESENT yield nothing (SENT comes from the
   * sender).
   */
  Derivation challenge(String key, ChallengeEvent event, RecordOrigin origin) {
    ConsentEventType type;
    switch (event.getType()) {
      case ISSUED, RESENT -> {
        return Derivation.none();
      }
      case SUPPRESSED -> type = ConsentEventType.SUPPRESSED;
      case CLOSED -> {
        switch (event.getOutcome()) {
          case CONFIRMED -> type = ConsentEventType.CONFIRMED;
          case EXPIRED -> type = ConsentEventType.EXPIRED;
          case REJECTED -> type = ConsentEventType.REJECTED;
          case LOCKED -> type = ConsentEventType.LOCKED;
          default -> {
            return Derivation.refused(
                "closed challenge without a final outcome: " + event.getOutcome(), "outcome");
          }
        }
      }
      default -> {
        return Derivation.refused("unknown challenge event type: " + event.getType(), "type");
      }
    }
    return Derivation.of(
        new ConsentStep(
            step(type, event.getPhone(), event.getOccurredAt(), origin)
                .setProgramId(event.getProgramId())
                .setSignupId(event.getSignupId())
                .setChallengeId(event.getChallengeId())
                .setDetail(event.getReason())
                .build(),
            personal(event.getPhone()).build()));
  }

  /**
   * A delivery report: SENT (queued or sent), DELIVERED, or FAILED (undelivered or failed), once
   * per message sid and step, so a replayed status callback, or the callback repeating the sender's
   * report, records nothing new.
   */
  Derivation delivery(String key, SmsDeliveryReport report, RecordOrigin origin) {
    ConsentEventType type =
        switch (report.getStatus()) {
          case QUEUED, SENT -> ConsentEventType.SENT;
          case DELIVERED -> ConsentEventType.DELIVERED;
          case UNDELIVERED, FAILED -> ConsentEventType.FAILED;
          default -> null;
        };
    if (type == null) {
      return Derivation.refused("unknown delivery status: " + report.getStatus(), "status");
    }
    Derivation derivation =
        Derivation.of(
            new ConsentStep(
                step(type, report.getPhone(), report.getOccurredAt(), origin)
                    .setProgramId(report.getProgramId())
                    .setChallengeId(report.getChallengeId())
                    .setProviderSid(report.getMessageSid())
                    .setProviderStatus(report.getStatus().name().toLowerCase(Locale.ROOT))
                    .setErrorCode(report.getErrorCode())
                    .setDetail(report.getErrorMessage())
                    .setChannel(channel(report.getChannel()))
                    .build(),
                personal(report.getPhone())
                    .setMessageText(cfg.codeMask().mask(report.getMaskedBody()))
                    .build()));
    return report.getMessageSid() == null
        ? derivation
        : derivation.once("sms|" + report.getMessageSid() + "|" + type);
  }

  /**
   * A reply: REPLY_RECEIVED, plus OPTED_OUT for STOP (for the whole phone) and OPTED_IN for START;
   * once per message sid. A STOP stamped with scope PROGRAM yields no OPTED_OUT here: which
   * programs it revoked is known only once the reply processor applied it ({@link #programOptOut}).
   */
  Derivation inbound(String key, InboundSms sms, RecordOrigin origin) {
    String text = cfg.codeMask().mask(sms.getMaskedBody());
    ConsentStep received =
        new ConsentStep(
            step(ConsentEventType.REPLY_RECEIVED, sms.getPhone(), sms.getReceivedAt(), origin)
                .setProviderSid(sms.getMessageSid())
                .setDetail(replyDetail(sms))
                .setChannel(channel(sms.getChannel()))
                .build(),
            personal(sms.getPhone()).setMessageText(text).build());
    Derivation derivation =
        switch (sms.getIntent()) {
          case STOP ->
              programScoped(sms)
                  ? Derivation.of(received)
                  : Derivation.of(
                      received,
                      optChange(ConsentEventType.OPTED_OUT, "REPLY_STOP", sms, text, origin));
          case START ->
              Derivation.of(
                  received, optChange(ConsentEventType.OPTED_IN, "REPLY_START", sms, text, origin));
          default -> Derivation.of(received);
        };
    return derivation.once("inbound|" + sms.getMessageSid());
  }

  /**
   * What a STOP of scope program revoked, as the reply processor applied it: one OPTED_OUT per
   * program it names (programId set), or one for the whole phone (programId null) when nothing
   * narrowed the STOP; once per message sid. The STOP's text is on its REPLY_RECEIVED step.
   */
  Derivation programOptOut(String key, ProgramOptOut optOut, RecordOrigin origin) {
    String detail =
        "STOP of scope program"
            + (optOut.getToNumber() == null ? "" : " sent to " + optOut.getToNumber());
    List<String> programs = optOut.getProgramIds();
    if (optOut.getEveryProgram() || programs.isEmpty()) {
      return Derivation.of(
              programStop(null, optOut, detail + ": nothing narrowed it, every program", origin))
          .once(PROGRAM_OPT_OUT + optOut.getMessageSid());
    }
    List<ConsentStep> steps = new ArrayList<>();
    for (String programId : new TreeSet<>(programs)) {
      steps.add(programStop(programId, optOut, detail, origin));
    }
    return new Derivation(List.copyOf(steps), null, null, null)
        .once(PROGRAM_OPT_OUT + optOut.getMessageSid());
  }

  private ConsentStep programStop(
      String programId, ProgramOptOut optOut, String detail, RecordOrigin origin) {
    ConsentEventType type = ConsentEventType.OPTED_OUT;
    return new ConsentStep(
        step(type, optOut.getPhone(), optOut.getReceivedAt(), origin)
            // Several steps from one record: the program keeps their event ids apart.
            .setEventId(origin.eventId(programId == null ? type.name() : type + "|" + programId))
            .setProgramId(programId)
            .setProviderSid(optOut.getMessageSid())
            .setMethod("REPLY_STOP")
            .setDetail(detail)
            .setChannel(channel(optOut.getChannel()))
            .build(),
        personal(optOut.getPhone()).build());
  }

  /** A STOP the webhook stamped with scope PROGRAM ({@code replies.stop.scope}). */
  static boolean programScoped(InboundSms sms) {
    return sms.getIntent() == ReplyIntent.STOP && "PROGRAM".equalsIgnoreCase(sms.getStopScope());
  }

  /**
   * A code typed on a site: CODE_ATTEMPTED (the code itself is never here, only elsewhere as a
   * keyed hash).
   */
  Derivation attempt(String key, VerificationAttempt attempt, RecordOrigin origin) {
    return Derivation.of(
            new ConsentStep(
                step(
                        ConsentEventType.CODE_ATTEMPTED,
                        attempt.getPhone(),
                        attempt.getAttemptedAt(),
                        origin)
                    .setProgramId(attempt.getProgramId())
                    .setMethod("CODE_ENTRY")
                    .build(),
                personal(attempt.getPhone()).setIp(attempt.getIp()).build()))
        .once("attempt|" + attempt.getAttemptId());
  }

  /**
   * A refused signup: REJECTED with the reason, for the phone of its key. A reject without a phone
   * key concerns no subject the ledger can name; it stays on the rejects topic only.
   */
  Derivation reject(String key, SignupRejected reject, RecordOrigin origin) {
    if (key == null || !E164.matcher(key).matches()) {
      return Derivation.none();
    }
    String detail =
        reject.getField() == null
            ? reject.getReason()
            : reject.getReason() + " (field " + reject.getField() + ")";
    return Derivation.of(
        new ConsentStep(
            step(ConsentEventType.REJECTED, key, reject.getRejectedAt(), origin)
                .setDetail(detail)
                .build(),
            personal(key).build()));
  }

  /**
   * A right-to-erasure request: ERASED for the subject it names (the appender destroys the
   * subject's data key before appending it). It carries no personal data, only who asked and why.
   */
  Derivation erasure(String key, ErasureRequested request, RecordOrigin origin) {
    String requestedBy = request.getRequestedBy() == null ? "" : " by " + request.getRequestedBy();
    String reason = request.getReason() == null ? "" : ": " + request.getReason();
    return Derivation.of(
        new ConsentStep(
            ConsentAuditRecord.newBuilder()
                .setEventId(origin.eventId(ConsentEventType.ERASED.name()))
                .setEventType(ConsentEventType.ERASED)
                .setOccurredAt(request.getRequestedAt())
                .setSubjectKey(request.getSubjectKey())
                .setMethod("ERASURE_REQUEST")
                .setDetail(
                    "personal data erased on request "
                        + request.getRequestId()
                        + requestedBy
                        + reason)
                .setSourceTopic(origin.topic())
                .setSourcePartition(origin.partition())
                .setSourceOffset(origin.offset())
                .build(),
            PersonalData.newBuilder().build()));
  }

  private ConsentStep optChange(
      ConsentEventType type, String method, InboundSms sms, String text, RecordOrigin origin) {
    return new ConsentStep(
        step(type, sms.getPhone(), sms.getReceivedAt(), origin)
            .setProviderSid(sms.getMessageSid())
            .setMethod(method)
            .setChannel(channel(sms.getChannel()))
            .build(),
        personal(sms.getPhone()).setMessageText(text).build());
  }

  /**
   * "intent X"; a REVIEW says it needs a person and which parser rule flagged it, so the export
   * shows it among the phone's steps.
   */
  static String replyDetail(InboundSms sms) {
    String detail = "intent " + sms.getIntent();
    if (sms.getIntent() != ReplyIntent.REVIEW) {
      return detail;
    }
    String rule = sms.getRule() == null ? "" : " (rule " + sms.getRule() + ")";
    return detail + ": needs review: possible opt-out" + rule;
  }

  /** The ledger's word for a message channel: its name, SMS when the record names none. */
  static String channel(MessageChannel channel) {
    return (channel == null ? MessageChannel.SMS : channel).name();
  }

  private static PersonalData.Builder personal(String phone) {
    return PersonalData.newBuilder().setPhone(phone);
  }

  private ConsentAuditRecord.Builder step(
      ConsentEventType type, String phone, Instant at, RecordOrigin origin) {
    return ConsentAuditRecord.newBuilder()
        .setEventId(origin.eventId(type.name()))
        .setEventType(type)
        .setOccurredAt(at)
        .setSubjectKey(cfg.subjects().keyFor(phone))
        .setSourceTopic(origin.topic())
        .setSourcePartition(origin.partition())
        .setSourceOffset(origin.offset());
  }
}
