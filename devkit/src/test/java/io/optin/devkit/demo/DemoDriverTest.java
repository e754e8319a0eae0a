package io.optin.devkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.devkit.demo.DrivenSubscriber.Answer;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.dispatcher.message.MessageTemplates;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoDriverTest {

  @Test
  void shouldReadTheCodeOfTheConfirmationSmsOptinSends() {
    // Given the confirmation text optin renders for the demo's program
    String body =
        new MessageTemplates(Map.of())
            .renderCode("demo-carrier-12", "en-US", "042917", Duration.ofSeconds(20))
            .body();

    // Then the subscriber reads the code, not the program's or the expiry's digits
    assertThat(DemoDriver.codeIn(sms(body))).isEqualTo("042917");
  }

  @Test
  void shouldRefuseAnSmsWithoutACode() {
    assertThatThrownBy(() -> DemoDriver.codeIn(sms("Reply YES within 1 min")))
        .hasMessage("no code in the SMS");
  }

  @Test
  void shouldClassifyTheTwimlAnswersOfTheInboundWebhook() {
    assertThat(DemoDriver.classify(twiml("You're confirmed! Thanks for subscribing.")))
        .isEqualTo(Answer.CONFIRMED);
    assertThat(
            DemoDriver.classify(
                twiml("This code has expired. Please sign up again to get a new code.")))
        .isEqualTo(Answer.EXPIRED);
    assertThat(
            DemoDriver.classify(twiml("You are unsubscribed and will receive no more messages.")))
        .isEqualTo(Answer.OPTED_OUT);
    assertThat(DemoDriver.classify(new WebhookAnswer(200, "<Response/>"))).isEqualTo(Answer.OTHER);
    assertThat(DemoDriver.classify(new WebhookAnswer(403, ""))).isEqualTo(Answer.FAILED);
  }

  @Test
  void shouldClassifyTheTwimlAnswersOfTheVoiceWebhook() {
    assertThat(
            DemoDriver.classify(
                new WebhookAnswer(
                    200,
                    "<Response><Say language=\"en-US\">Confirmed, thank you. Goodbye.</Say>"
                        + "<Hangup/></Response>")))
        .isEqualTo(Answer.CONFIRMED);
    assertThat(
            DemoDriver.classify(
                new WebhookAnswer(
                    200,
                    "<Response><Say>This code has expired. Please sign up again.</Say></Response>")))
        .isEqualTo(Answer.EXPIRED);
  }

  private static WebhookAnswer twiml(String text) {
    return new WebhookAnswer(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
            + text
            + "</Message></Response>");
  }

  private static SandboxMessage sms(String body) {
    Instant now = Instant.now();
    return new SandboxMessage(
        "SM" + "0".repeat(32),
        "AC" + "0".repeat(32),
        SandboxMessage.OUTBOUND_API,
        "+15005550006",
        "+14155550100",
        null,
        body,
        "delivered",
        null,
        1,
        now,
        now,
        null);
  }
}
