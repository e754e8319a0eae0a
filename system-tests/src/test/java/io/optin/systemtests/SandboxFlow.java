package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outside world's moves that every whole-flow IT makes the same way: the platform's signup body
 * and its POST to the gateway, and the phone reading its code from the SMS optin sent through the
 * sandbox's Messages API.
 */
public final class SandboxFlow {

  private static final Pattern CODE = Pattern.compile("code is (\\d{6})");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private SandboxFlow() {}

  /** A web-form signup of {@code phone} to {@code program}, consent and evidence as usual. */
  public static String webSignup(String phone, String program) {
    return webSignup(phone, program, "en-US");
  }

  /** As {@link #webSignup(String, String)}, in {@code locale}. */
  public static String webSignup(String phone, String program, String locale) {
    return "{\"phone\":\""
        + phone
        + "\",\"programId\":\""
        + program
        + "\",\"consentText\":\"Yes, text me Acme offers. Msg & data rates may apply. Reply STOP"
        + " to opt out.\",\"source\":{\"channel\":\"web_form\",\"url\":\"https://acme.example/join\","
        + "\"ip\":\"203.0.113.7\"},\"locale\":\""
        + locale
        + "\"}";
  }

  /** The code of the {@code nth} SMS (from 1) sent to {@code phone}, once it has arrived. */
  public static String awaitCode(TwilioSandbox sandbox, String phone, int nth) {
    await().atMost(PATIENCE).until(() -> sentThroughTheApi(sandbox, phone).size() >= nth);
    SandboxMessage message = sentThroughTheApi(sandbox, phone).get(nth - 1);
    Matcher matcher = CODE.matcher(message.body());
    assertThat(matcher.find()).as(message.body()).isTrue();
    return matcher.group(1);
  }

  /**
   * The platform's POST of a JSON body to optin's gateway (signups, code entries), for a plain or a
   * contract-checked client to send.
   */
  public static HttpRequest jsonPost(URI gateway, String path, String json) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** The SMS optin sent to {@code phone} through the sandbox's Messages API, oldest first. */
  public static List<SandboxMessage> sentThroughTheApi(TwilioSandbox sandbox, String phone) {
    return sandbox.messagesTo(phone).stream()
        .filter(m -> SandboxMessage.OUTBOUND_API.equals(m.direction()))
        .toList();
  }
}
