package io.optin.systemtests;

import static io.optin.dispatcher.DispatcherSettings.TWILIO_ACCOUNT_SID;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;
import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.SandboxCall;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioClients;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answering side of the fallback channels on the whole product, as {@code optin dev} runs it: a
 * key pressed during a call placed through the sandbox with twilio-java reaches the signed voice
 * webhook and confirms by VOICE_KEYPRESS, and a YES on WhatsApp confirms via WHATSAPP; each is read
 * back from the topics by a plain consumer.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AnswerChannelsIT {

  private static final String BY_VOICE = "+14155550131";
  private static final String BY_WHATSAPP = "+14155550132";
  private static final String PROGRAM = "acme-deals";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;

  @BeforeEach
  void startEverything() {
    optin = ReadyOptin.start(dataDir, Map.of());
    sandbox = optin.sandbox().orElseThrow();
  }

  @AfterEach
  void stopEverything() {
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldConfirmByAKeyPressedDuringACallAndByAYesOnWhatsAppEachOnce() throws Exception {
    // Given two signups whose codes were sent
    assertThat(post("/v1/signups", signup(BY_VOICE)).statusCode()).isEqualTo(202);
    assertThat(post("/v1/signups", signup(BY_WHATSAPP)).statusCode()).isEqualTo(202);
    await()
        .atMost(PATIENCE)
        .until(() -> !sentTo(BY_VOICE).isEmpty() && !sentTo(BY_WHATSAPP).isEmpty());

    // When a call to the first, in French, gathers a key for optin's voice webhook
    URI action = URI.create(optin.publicBaseUrl() + "/webhooks/twilio/voice?lang=fr");
    String callSid = placeCall(BY_VOICE, action);
    await()
        .atMost(PATIENCE)
        .until(() -> sandbox.call(callSid).map(SandboxCall::awaitingKeys).orElse(false));
    // and the callee presses 1
    WebhookAnswer pressed = sandbox.press(callSid, "1");

    // Then the webhook took the signed key press and said the outcome in French
    assertThat(pressed.status()).isEqualTo(200);
    assertThat(pressed.body())
        .contains("<Say language=\"fr-FR\">C&apos;est confirmé, merci. Au revoir.</Say>");
    assertThat(sandbox.call(callSid).orElseThrow())
        .satisfies(
            call -> {
              assertThat(call.status()).isEqualTo(SandboxCall.COMPLETED);
              assertThat(call.spokenTexts()).last().isEqualTo("C'est confirmé, merci. Au revoir.");
            });

    // When the second answers YES on WhatsApp
    WebhookAnswer yes =
        sandbox.reply(
            "whatsapp:" + BY_WHATSAPP, "whatsapp:" + optin.fromNumber().orElseThrow(), "YES");

    // Then it is told it is confirmed, over WhatsApp
    assertThat(yes.status()).isEqualTo(200);
    assertThat(yes.body()).contains("You&apos;re confirmed!");
    assertThat(sandbox.conversationWith("whatsapp:" + BY_WHATSAPP))
        .extracting(SandboxMessage::direction)
        .containsExactly(SandboxMessage.INBOUND, SandboxMessage.OUTBOUND_REPLY);

    // and each phone has exactly one confirmation, with its method and channel
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(confirmationsOf(BY_VOICE))
                  .extracting(SubscriberConfirmed::getMethod, SubscriberConfirmed::getConfirmedVia)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple(
                          ConfirmationMethod.VOICE_KEYPRESS, MessageChannel.VOICE));
              assertThat(confirmationsOf(BY_WHATSAPP))
                  .extracting(SubscriberConfirmed::getMethod, SubscriberConfirmed::getConfirmedVia)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple(
                          ConfirmationMethod.REPLY_YES, MessageChannel.WHATSAPP));
            });

    // When a key press is forged (signed with another token)
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "CallSid=CAforged&Direction=outbound-api&To=%2B14155550133&Digits=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then it is refused, and nothing more is confirmed
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(confirmationsOf("+14155550133")).isEmpty();
  }

  private String placeCall(String to, URI action) {
    Settings settings = optin.settings();
    TwilioRestClient client =
        TwilioClients.create(
            TwilioClientSettings.of(
                    TwilioCredentials.authToken(
                        settings.get(TWILIO_ACCOUNT_SID), settings.get(TWILIO_AUTH_TOKEN)))
                .withApiBaseUrl(sandbox.baseUrl()));
    try {
      String twiml =
          "<Response><Say language=\"fr-FR\">Votre code est 1, 2, 3, 4, 5, 6.</Say>"
              + "<Gather numDigits=\"1\" action=\""
              + action
              + "\"><Say language=\"fr-FR\">Appuyez sur 1 pour confirmer.</Say></Gather></Response>";
      return Call.creator(
              new PhoneNumber(to),
              new PhoneNumber(optin.fromNumber().orElseThrow()),
              new Twiml(twiml))
          .create(client)
          .getSid();
    } finally {
      TwilioClients.close(client);
    }
  }

  private List<SandboxMessage> sentTo(String phone) {
    return sandbox.messagesTo(phone).stream()
        .filter(message -> message.direction().equals(SandboxMessage.OUTBOUND_API))
        .toList();
  }

  private List<SubscriberConfirmed> confirmationsOf(String phone) {
    return new CommittedRecords(optin.bootstrapServers(), optin.registryUrl())
        .records(Topics.CONFIRMED_SUBSCRIBERS).stream()
            .map(ConsumerRecord::value)
            .filter(confirmed -> confirmed.getPhone().equals(phone))
            .toList();
  }

  private static String signup(String phone) {
    return SandboxFlow.webSignup(phone, PROGRAM, "fr-FR");
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }
}
