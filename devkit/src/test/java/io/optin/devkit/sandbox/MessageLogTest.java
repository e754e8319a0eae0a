package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageLogTest {

  private static SandboxMessage to(String phone, String body) {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    return new SandboxMessage(
        SandboxMessage.newSid(),
        "AC",
        SandboxMessage.OUTBOUND_API,
        "+15005550006",
        phone,
        null,
        body,
        "queued",
        null,
        1,
        now,
        now,
        null);
  }

  @Test
  void shouldForgetTheOldestMessagesOfAPhoneBeyondItsBound() {
    // Given
    MessageLog log = new MessageLog(2, 10);
    SandboxMessage first = to("+1555", "1");

    // When
    log.add(first);
    log.add(to("+1555", "2"));
    log.add(to("+1555", "3"));

    // Then
    assertThat(log.conversation("+1555"))
        .extracting(SandboxMessage::body)
        .containsExactly("2", "3");
    assertThat(log.find(first.sid())).isEmpty();
  }

  @Test
  void shouldForgetTheLongestQuietPhoneBeyondThePhoneBound() {
    // Given
    MessageLog log = new MessageLog(10, 2);
    SandboxMessage quiet = to("+1000", "a");
    log.add(quiet);
    log.add(to("+2000", "b"));
    log.add(to("+1000", "c"));

    // When
    log.add(to("+3000", "d"));

    // Then
    assertThat(log.conversationsNewestFirst()).containsOnlyKeys("+3000", "+1000");
    assertThat(log.conversationsNewestFirst().keySet()).containsExactly("+3000", "+1000");
    assertThat(log.conversationsNewestFirst().get("+1000"))
        .extracting(SandboxMessage::body)
        .containsExactly("c", "a");
  }

  @Test
  void shouldReplaceAMessageByItsSid() {
    // Given
    MessageLog log = new MessageLog(10, 10);
    SandboxMessage message = to("+1555", "hi");
    log.add(message);

    // When
    boolean replaced = log.replace(message.withStatus("delivered", null, Instant.now()));

    // Then
    assertThat(replaced).isTrue();
    assertThat(log.find(message.sid()))
        .hasValueSatisfying(m -> assertThat(m.status()).isEqualTo("delivered"));
  }
}
