package io.optin.dispatcher.sender;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.message.RenderedSms;
import io.optin.dispatcher.message.SmsEncoding;
import io.optin.dispatcher.message.VoiceScript;
import io.optin.dispatcher.sms.LookupResult;
import io.optin.dispatcher.sms.OutgoingCall;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.OutgoingWhatsApp;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.SendOutcome;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.SentMessageQuery;
import io.optin.domain.otp.CodeMask;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.screening.PhoneRegion;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one outbox command: render the message (deriving the code from the challenge id),
 * send it once through the retrying gateway, and describe the outcome as a delivery report that
 * holds the masked text only. A command whose {@code channel} is VOICE or WHATSAPP (a fallback)
 * places a call or sends a WhatsApp template instead. A command id already handled is skipped; no
 * Kafka here.
 */
public final class OutboxCommandHandler {

  private static final Logger log = LoggerFactory.getLogger(OutboxCommandHandler.class);

  private final MessageTemplates templates;
  private final OtpCodes codes;
  private final CodeMask mask;
  private final RetryingSmsGateway gateway;
  private final DeliveredCommands delivered;
  private final SenderConfig config;
  private final Clock clock;
  private final Supplier<String> ids;
  private final OptinMetrics metrics;
  private final SendIntents intents;
  private final AtomicLong recovered = new AtomicLong();
  private final VoiceScript voiceScript;

  public OutboxCommandHandler(
      MessageTemplates templates,
      OtpCodes codes,
      RetryingSmsGateway gateway,
      DeliveredCommands delivered,
      SenderConfig config,
      Clock clock,
      Supplier<String> ids) {
    this(templates, codes, gateway, delivered, config, clock, ids, OptinMetrics.unexposed());
  }

  /**
   * As the other constructor, counting SMS sent (by kind) and failed (by provider error code) on
   * {@code metrics}.
   */
  public OutboxCommandHandler(
      MessageTemplates templates,
      OtpCodes codes,
      RetryingSmsGateway gateway,
      DeliveredCommands delivered,
      SenderConfig config,
      Clock clock,
      Supplier<String> ids,
      OptinMetrics metrics) {
    this(
        templates,
        codes,
        gateway,
        delivered,
        new SendIntents(config.dedupeWindow(), clock),
        config,
        clock,
        ids,
        metrics);
  }

  /**
   * As the other constructors, looking a command up at the provider before sending it when {@code
   * intents} holds an unresolved intent of it.
   */
  public OutboxCommandHandler(
      MessageTemplates templates,
      OtpCodes codes,
      RetryingSmsGateway gateway,
      DeliveredCommands delivered,
      SendIntents intents,
      SenderConfig config,
      Clock clock,
      Supplier<String> ids,
      OptinMetrics metrics) {
    this.intents = Objects.requireNonNull(intents, "intents");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.templates = Objects.requireNonNull(templates, "templates");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.mask = codes.mask();
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.delivered = Objects.requireNonNull(delivered, "delivered");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.voiceScript = new VoiceScript(templates);
  }

  /**
   * The report of the command's outcome, or empty when the command was already handled (nothing is
   * sent): {@link #plan} and {@link #carryOut} in one go, without recording the intent first.
   */
  public Optional<SmsDeliveryReport> handle(SmsSendRequested command) {
    SendPlan plan = plan(command);
    if (plan instanceof SendPlan.Done done) {
      return Optional.of(done.report());
    }
    if (plan instanceof SendPlan.Send send) {
      return Optional.of(carryOut(send));
    }
    return Optional.empty();
  }

  /**
   * Decides, without calling the provider, what becomes of a command: skipped when its id was
   * already handled, settled at once when it cannot be sent, else sent after its intent is
   * committed. The command id is claimed here, so a second copy polled meanwhile is skipped.
   */
  SendPlan plan(SmsSendRequested command) {
    if (!delivered.claim(command.getCommandId())) {
      log.info(
          "Skipping command {} for {}: already handled",
          command.getCommandId(),
          PhoneMask.mask(command.getPhone()));
      return new SendPlan.Skip();
    }
    Instant now = clock.instant();
    if (command.getChannel() == MessageChannel.VOICE
        || command.getChannel() == MessageChannel.WHATSAPP) {
      return planFallback(command, now);
    }
    RenderedSms message;
    try {
      message = render(command, now);
    } catch (IllegalArgumentException | NullPointerException e) {
      log.warn("Command {} cannot be rendered: {}", command.getCommandId(), e.getMessage());
      return new SendPlan.Done(
          unsent(command, "command cannot be rendered: " + e.getMessage(), null));
    }
    if (command.getExpiresAt() != null && !now.isBefore(command.getExpiresAt())) {
      // A code that no longer confirms anything would only earn an "expired" answer: record it,
      // send nothing.
      return new SendPlan.Done(
          unsent(command, "code expired before it could be sent", message.maskedBody()));
    }
    OutgoingSms sms = outgoing(command, message.body());
    SmsSendIntent intent =
        SmsSendIntent.newBuilder()
            .setIntentId(UUID.randomUUID().toString())
            .setCommandId(command.getCommandId())
            .setPhone(command.getPhone())
            .setFromNumber(sms.from())
            .setMessagingServiceSid(sms.messagingServiceSid())
            .setBodyHash(codes.bodyHash(message.body()))
            .setIntendedAt(now)
            .setSenderId(config.instanceId())
            .build();
    return new SendPlan.Send(
        command, message, sms, intent, intents.unresolved(command.getCommandId()));
  }

  /**
   * A code asked again by voice or WhatsApp: the call's TwiML or the template's variables, with the
   * code derived from the challenge like the SMS's; settled at once when the code expired or the
   * channel has no sender configured.
   */
  private SendPlan planFallback(SmsSendRequested command, Instant now) {
    MessageChannel channel = command.getChannel();
    if (command.getKind() != SmsKind.CONFIRMATION_CODE
        || command.getChallengeId() == null
        || command.getExpiresAt() == null) {
      return new SendPlan.Done(
          unsent(command, "a " + channel + " command must carry a challenge's code", null));
    }
    if (!now.isBefore(command.getExpiresAt())) {
      return new SendPlan.Done(unsent(command, "code expired before it could be sent", null));
    }
    String code = codes.codeFor(command.getChallengeId());
    Duration left = Duration.between(now, command.getExpiresAt());
    String from;
    RenderedSms message;
    OutgoingCall call = null;
    OutgoingWhatsApp whatsApp = null;
    if (channel == MessageChannel.VOICE) {
      from = command.getFromNumber() != null ? command.getFromNumber() : config.fromNumber();
      if (from == null || config.voiceAction() == null) {
        return new SendPlan.Done(
            unsent(command, "no number to call from (twilio.from) or no public.base.url", null));
      }
      VoiceScript.RenderedVoice voice =
          voiceScript.render(
              command.getProgramId(), command.getLocale(), code, left, config.voiceAction());
      message = new RenderedSms(voice.twiml(), voice.masked(), 0, SmsEncoding.GSM_7);
      call = new OutgoingCall(command.getPhone(), from, voice.twiml(), config.statusCallback());
    } else {
      from = config.whatsAppFrom();
      if (from == null || config.whatsAppContentSid() == null) {
        return new SendPlan.Done(
            unsent(command, "whatsapp.from and whatsapp.content.sid must be set", null));
      }
      String minutes = String.valueOf(Math.max(1, left.toMinutes()));
      String variables = "{\"1\":\"" + code + "\",\"2\":\"" + minutes + "\"}";
      String masked =
          "WhatsApp template "
              + config.whatsAppContentSid()
              + " {\"1\":\""
              + "*".repeat(code.length())
              + "\",\"2\":\""
              + minutes
              + "\"}";
      message = new RenderedSms(variables, masked, 0, SmsEncoding.GSM_7);
      whatsApp =
          new OutgoingWhatsApp(
              command.getPhone(),
              from,
              config.whatsAppContentSid(),
              variables,
              config.statusCallback());
    }
    SmsSendIntent intent =
        SmsSendIntent.newBuilder()
            .setIntentId(UUID.randomUUID().toString())
            .setCommandId(command.getCommandId())
            .setPhone(command.getPhone())
            .setFromNumber(from)
            .setMessagingServiceSid(null)
            .setBodyHash(codes.bodyHash(message.body()))
            .setIntendedAt(now)
            .setSenderId(config.instanceId())
            .build();
    return new SendPlan.Send(
        command, message, null, intent, intents.unresolved(command.getCommandId()), call, whatsApp);
  }

  /**
   * Gives back a command planned for sending but never handed to the provider (its intent was not
   * committed), so a later poll of it is planned again rather than skipped as already handled.
   */
  void release(String commandId) {
    delivered.release(commandId);
  }

  /**
   * Carries out a send whose intent is committed: when earlier attempts left intents without a
   * report, asks the provider first (retrying as sends are retried) and reports the message found
   * rather than texting again; when the provider cannot answer, reports a failure rather than send
   * blind. Runs on a sending thread.
   */
  SmsDeliveryReport carryOut(SendPlan.Send send) {
    SmsSendRequested command = send.command();
    if (send.sms() == null) {
      return carryOutFallback(send);
    }
    if (!send.earlier().isEmpty()) {
      LookupResult found = gateway.findSent(query(send));
      if (found instanceof LookupResult.Found earlier) {
        intents.resolved(command.getCommandId());
        recovered.incrementAndGet();
        metrics.smsRecovered();
        log.info(
            "Command {} to {} was already at the provider as {}: reported, not sent again",
            command.getCommandId(),
            PhoneMask.mask(command.getPhone()),
            earlier.sid());
        return base(command, send.message().maskedBody())
            .setAttempts(0)
            .setMessageSid(earlier.sid())
            .setStatus(acceptedStatus(earlier.status()))
            .build();
      }
      if (found instanceof LookupResult.Failed failed) {
        SmsDeliveryReport report =
            report(
                command,
                send.message(),
                new SendOutcome(failed.failure(), 0),
                "an earlier attempt could not be checked at the provider, so it was not sent again: ");
        intents.resolved(command.getCommandId());
        return report;
      }
    }
    if (command.getKind() == SmsKind.CONFIRMATION_CODE) {
      // A code's command carries its signup's acceptance time (requestedAt = occurredAt).
      metrics.signupToSms(Duration.between(command.getRequestedAt(), clock.instant()));
    }
    SendOutcome outcome = gateway.sendWithRetries(send.sms());
    intents.resolved(command.getCommandId());
    return report(command, send.message(), outcome, "");
  }

  /**
   * A call or a WhatsApp message. Calls and template messages cannot be matched at the provider by
   * their text as SMS are, so one whose earlier attempt left no report is reported failed rather
   * than placed a second time: the fallback's wait then moves on to the next channel.
   */
  private SmsDeliveryReport carryOutFallback(SendPlan.Send send) {
    SmsSendRequested command = send.command();
    if (!send.earlier().isEmpty()) {
      intents.resolved(command.getCommandId());
      log.warn(
          "Command {} ({}) to {} has an earlier attempt without a report: not placed again",
          command.getCommandId(),
          command.getChannel(),
          PhoneMask.mask(command.getPhone()));
      return unsent(
          command,
          "an earlier attempt could not be checked at the provider, so it was not sent again",
          send.message().maskedBody());
    }
    SendOutcome outcome =
        send.call() != null
            ? gateway.callWithRetries(send.call())
            : gateway.whatsAppWithRetries(send.whatsApp());
    intents.resolved(command.getCommandId());
    return report(command, send.message(), outcome, "");
  }

  /** Commands found at the provider rather than sent again, since start. */
  long recoveredCommands() {
    return recovered.get();
  }

  /**
   * The earlier intents' recipient and sender, since the first of them, matching any of their
   * texts; without {@code From} when they name no number (a messaging service picks it) or
   * different ones.
   */
  private SentMessageQuery query(SendPlan.Send send) {
    List<SmsSendIntent> earlier = send.earlier();
    Set<String> hashes = new HashSet<>();
    Set<String> froms = new HashSet<>();
    Instant since = earlier.get(0).getIntendedAt();
    for (SmsSendIntent intent : earlier) {
      hashes.add(intent.getBodyHash());
      froms.add(String.valueOf(intent.getFromNumber()));
      since = intent.getIntendedAt().isBefore(since) ? intent.getIntendedAt() : since;
    }
    String from = froms.size() == 1 ? earlier.get(0).getFromNumber() : null;
    return new SentMessageQuery(
        send.command().getPhone(), from, since, body -> hashes.contains(codes.bodyHash(body)));
  }

  private RenderedSms render(SmsSendRequested command, Instant now) {
    if (command.getKind() != SmsKind.CONFIRMATION_CODE) {
      return templates.render(command.getKind(), command.getProgramId(), command.getLocale());
    }
    Objects.requireNonNull(
        command.getChallengeId(), "a confirmation code command needs a challengeId");
    Objects.requireNonNull(command.getExpiresAt(), "a confirmation code command needs expiresAt");
    Duration left = Duration.between(now, command.getExpiresAt());
    return templates.renderCode(
        command.getProgramId(),
        command.getLocale(),
        codes.codeFor(command.getChallengeId()),
        left.isNegative() ? Duration.ZERO : left);
  }

  private OutgoingSms outgoing(SmsSendRequested command, String body) {
    String from = command.getFromNumber() != null ? command.getFromNumber() : config.fromNumber();
    return from != null
        ? OutgoingSms.fromNumber(command.getPhone(), from, body, config.statusCallback())
        : OutgoingSms.viaMessagingService(
            command.getPhone(), config.messagingServiceSid(), body, config.statusCallback());
  }

  private SmsDeliveryReport report(
      SmsSendRequested command, RenderedSms message, SendOutcome outcome, String failurePrefix) {
    SmsDeliveryReport.Builder report =
        base(command, message.maskedBody()).setAttempts(outcome.attempts());
    SendResult result = outcome.result();
    if (result instanceof SendResult.Accepted accepted) {
      log.info(
          "Command {} sent to {} as {} after {} attempt(s)",
          command.getCommandId(),
          PhoneMask.mask(command.getPhone()),
          accepted.sid(),
          outcome.attempts());
      metrics.smsSent(
          command.getKind().name(), command.getProgramId(), PhoneRegion.of(command.getPhone()));
      return report
          .setMessageSid(accepted.sid())
          .setStatus(acceptedStatus(accepted.status()))
          .build();
    }
    Integer errorCode;
    String errorMessage;
    if (result instanceof SendResult.PermanentFailure permanent) {
      errorCode = permanent.errorCode();
      errorMessage = permanent.message();
    } else {
      // Transient failures that outlived the retries are final too: the command is not sent again.
      SendResult.TransientFailure transientFailure = (SendResult.TransientFailure) result;
      errorCode = transientFailure.errorCode();
      errorMessage = transientFailure.message();
    }
    log.warn(
        "Command {} to {} failed after {} attempt(s): {}",
        command.getCommandId(),
        PhoneMask.mask(command.getPhone()),
        outcome.attempts(),
        result.summary());
    metrics.smsFailed(errorCode);
    return report
        .setStatus(DeliveryStatus.FAILED)
        .setErrorCode(errorCode)
        .setErrorMessage(
            failurePrefix.isEmpty()
                ? mask.mask(errorMessage)
                : failurePrefix + mask.mask(errorMessage))
        .build();
  }

  private SmsDeliveryReport unsent(SmsSendRequested command, String reason, String maskedBody) {
    return base(command, maskedBody)
        .setAttempts(0)
        .setStatus(DeliveryStatus.FAILED)
        .setErrorMessage(reason)
        .build();
  }

  private SmsDeliveryReport.Builder base(SmsSendRequested command, String maskedBody) {
    return SmsDeliveryReport.newBuilder()
        .setReportId(ids.get())
        .setCommandId(command.getCommandId())
        .setChallengeId(command.getChallengeId())
        .setProgramId(command.getProgramId())
        .setPhone(command.getPhone())
        .setMessageSid(null)
        .setErrorCode(null)
        .setErrorMessage(null)
        .setMaskedBody(maskedBody)
        .setSource(ReportSource.SENDER)
        .setChannel(command.getChannel())
        .setOccurredAt(clock.instant());
  }

  /** Twilio answers a create with queued/accepted/scheduled, rarely sending/sent. */
  private static DeliveryStatus acceptedStatus(String twilioStatus) {
    String status = twilioStatus == null ? "" : twilioStatus.toLowerCase(Locale.ROOT);
    return status.equals("sent") || status.equals("sending")
        ? DeliveryStatus.SENT
        : DeliveryStatus.QUEUED;
  }
}
