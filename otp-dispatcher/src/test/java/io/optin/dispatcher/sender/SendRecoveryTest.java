package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sms.LookupResult;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.SentMessageQuery;
import io.optin.dispatcher.sms.SmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The intent/lookup decision: a command with an intent but no report is looked up at the provider
 * before it is sent again; found means reported (recovered) and not sent, not found means sent, no
 * answer means reported failed and never sent blind.
 */
class SendRecoveryTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);
  private static final String FROM = "+15005550006";
  private static final String PHONE = "+14155550100";
  private static final String SENT_BEFORE = "the text the crashed sender sent";

  /** A provider holding a list of texts; it accepts sends as SM-new, or fails lookups. */
  private static final class ListingProvider implements SmsGateway {
    final List<String> listed = new ArrayList<>();
    final List<SentMessageQuery> lookups = new ArrayList<>();
    final List<OutgoingSms> sent = new ArrayList<>();
    SendResult lookupFailure;

    @Override
    public SendResult send(OutgoingSms sms) {
      sent.add(sms);
      return new SendResult.Accepted("SM-new", "queued");
    }

    @Override
    public LookupResult findSent(SentMessageQuery query) {
      lookups.add(query);
      if (lookupFailure != null) {
        return new LookupResult.Failed(lookupFailure);
      }
      return listed.stream()
          .filter(query.bodyMatches())
          .findFirst()
          .<LookupResult>map(body -> new LookupResult.Found("SM-earlier", "sent"))
          .orElseGet(LookupResult.NotFound::new);
    }
  }

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ListingProvider provider = new ListingProvider();
  private final SendIntents intents = new SendIntents(Duration.ofDays(7), clock);
  private final AtomicInteger ids = new AtomicInteger();
  private final OutboxCommandHandler handler =
      new OutboxCommandHandler(
          new MessageTemplates(Map.of("acme-deals", "Acme")),
          CODES,
          new RetryingSmsGateway(
              provider,
              new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0.0),
              delay -> {},
              () -> 0.0),
          new DeliveredCommands(Duration.ofDays(7), clock),
          intents,
          SenderConfig.from(
              TestDispatcherSettings.with(Map.of("sms.sender.id", "test", "twilio.from", FROM))),
          clock,
          () -> "id-" + ids.incrementAndGet(),
          OptinMetrics.unexposed());

  @Test
  void shouldSendWithoutLookupWhenNoEarlierIntentIsUnresolved() {
    // When a command without an earlier intent is planned and carried out
    SendPlan.Send send = (SendPlan.Send) handler.plan(command("cmd-1"));
    SmsDeliveryReport report = handler.carryOut(send);

    // Then its intent names it and hashes the text sent, and it is sent without a lookup
    assertThat(send.earlier()).isEmpty();
    assertThat(send.intent().getBodyHash()).isEqualTo(CODES.bodyHash(provider.sent.get(0).body()));
    assertThat(send.intent().getBodyHash()).doesNotContain(CODES.codeFor("c-cmd-1"));
    assertThat(provider.lookups).isEmpty();
    assertThat(provider.sent).hasSize(1);
    assertThat(report.getMessageSid()).isEqualTo("SM-new");
  }

  @Test
  void shouldReportTheMessageFoundAtTheProviderInsteadOfSendingAgain() {
    // Given an earlier intent of the command, whose text the provider lists
    intents.intended(intent("cmd-1", CODES.bodyHash(SENT_BEFORE), NOW.minusSeconds(30)));
    provider.listed.add("another text");
    provider.listed.add(SENT_BEFORE);

    // When the command is polled again
    SendPlan.Send send = (SendPlan.Send) handler.plan(command("cmd-1"));
    SmsDeliveryReport report = handler.carryOut(send);

    // Then the provider was asked for the recipient's messages from the sender since the intent
    assertThat(provider.lookups)
        .singleElement()
        .satisfies(
            query -> {
              assertThat(query.to()).isEqualTo(PHONE);
              assertThat(query.from()).isEqualTo(FROM);
              assertThat(query.since()).isEqualTo(NOW.minusSeconds(30));
            });
    // And nothing was sent: the report carries the earlier message, counted as recovered
    assertThat(provider.sent).isEmpty();
    assertThat(report.getMessageSid()).isEqualTo("SM-earlier");
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.SENT);
    assertThat(report.getAttempts()).isZero();
    assertThat(handler.recoveredCommands()).isEqualTo(1);
    assertThat(intents.unresolved("cmd-1")).isEmpty();
  }

  @Test
  void shouldSendWhenTheProviderListsNoMatchingText() {
    // Given an earlier intent whose text the provider does not hold
    intents.intended(intent("cmd-1", CODES.bodyHash(SENT_BEFORE), NOW.minusSeconds(30)));
    provider.listed.add("another text");

    // When the command is polled again
    SmsDeliveryReport report = handler.carryOut((SendPlan.Send) handler.plan(command("cmd-1")));

    // Then it was looked up, then sent once
    assertThat(provider.lookups).hasSize(1);
    assertThat(provider.sent).hasSize(1);
    assertThat(report.getMessageSid()).isEqualTo("SM-new");
    assertThat(handler.recoveredCommands()).isZero();
  }

  @Test
  void shouldNeverSendBlindWhileTheProviderCannotAnswerTheLookup() {
    // Given an earlier intent and a provider whose list keeps failing
    intents.intended(intent("cmd-1", CODES.bodyHash(SENT_BEFORE), NOW.minusSeconds(30)));
    provider.lookupFailure = new SendResult.TransientFailure(503, null, "unavailable");

    // When the command is polled again
    SmsDeliveryReport report = handler.carryOut((SendPlan.Send) handler.plan(command("cmd-1")));

    // Then the lookup was retried per the policy, nothing was sent, and the failure is reported
    assertThat(provider.lookups).hasSize(2);
    assertThat(provider.sent).isEmpty();
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(report.getMessageSid()).isNull();
    assertThat(report.getErrorMessage()).startsWith("an earlier attempt could not be checked");
  }

  private static SmsSendIntent intent(String commandId, String bodyHash, Instant at) {
    return SmsSendIntent.newBuilder()
        .setIntentId("intent-" + commandId)
        .setCommandId(commandId)
        .setPhone(PHONE)
        .setFromNumber(FROM)
        .setMessagingServiceSid(null)
        .setBodyHash(bodyHash)
        .setIntendedAt(at)
        .setSenderId("crashed")
        .build();
  }

  private static SmsSendRequested command(String commandId) {
    return CodeCommands.code(commandId, PHONE, NOW);
  }
}
