package io.optin.dispatcher.sender;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.message.RenderedSms;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.SendOutcome;
import io.optin.dispatcher.sms.SendResult;
import io.optin.domain.otp.CodeMask;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.screening.PhoneRegion;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one outbox command: render the message (deriving the code from the challenge id),
 * send it once through the retrying gateway, and describe the outcome as a delivery report that
 * holds the masked text only. A command id already handled is skipped; no Kafka here.
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
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.templates = Objects.requireNonNull(templates, "templates");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.mask = codes.mask();
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.delivered = Objects.requireNonNull(delivered, "delivered");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * The report of the command's outcome, or empty when the command was already handled (nothing is
   * sent).
   */
  public Optional<SmsDeliveryReport> handle(SmsSendRequested command) {
    if (!delivered.claim(command.getCommandId())) {
      log.info(
          "Skipping command {} for {}: already handled",
          command.getCommandId(),
          PhoneMask.mask(command.getPhone()));
      return Optional.empty();
    }
    Instant now = clock.instant();
    RenderedSms message;
    try {
      message = render(command, now);
    } catch (IllegalArgumentException | NullPointerException e) {
      log.warn("Command {} cannot be rendered: {}", command.getCommandId(), e.getMessage());
      return Optional.of(unsent(command, "command cannot be rendered: " + e.getMessage(), null));
    }
    if (command.getExpiresAt() != null && !now.isBefore(command.getExpiresAt())) {
      // A code that no longer confirms anything would only earn an "expired" answer: record it,
      // send nothing.
      return Optional.of(
          unsent(command, "code expired before it could be sent", message.maskedBody()));
    }
    if (command.getKind() == SmsKind.CONFIRMATION_CODE) {
      // A code's command carries its signup's acceptance time (requestedAt = occurredAt).
      metrics.signupToSms(Duration.between(command.getRequestedAt(), clock.instant()));
    }
    SendOutcome outcome = gateway.sendWithRetries(outgoing(command, message.body()));
    return Optional.of(report(command, message, outcome));
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
      SmsSendRequested command, RenderedSms message, SendOutcome outcome) {
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
        .setErrorMessage(mask.mask(errorMessage))
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
