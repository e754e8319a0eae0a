package io.optin.dispatcher.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SourceChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PhoneChallengesSerdeTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final PhoneChallengesSerde serde = new PhoneChallengesSerde();

  @Test
  void shouldRoundTripEveryField() {
    // Given a phone with a resent pending challenge, a confirmed program and a STOP then START
    PhoneStanding state =
        PhoneStanding.EMPTY
            .with(
                "acme",
                ProgramChallenge.pending(
                        "c-1",
                        "s-1",
                        T0,
                        T0.plusSeconds(600),
                        "fr-FR",
                        SourceChannel.MOBILE_APP,
                        "0f".repeat(32),
                        T0.minusSeconds(1))
                    .resentAt(T0.plusSeconds(90)))
            .with("beta", ProgramChallenge.confirmed("c-0"))
            .stop(T0.plusSeconds(100))
            .start(T0.plusSeconds(200))
            .with(
                "acme",
                ProgramChallenge.pending(
                        "c-3",
                        "s-3",
                        T0,
                        T0.plusSeconds(600),
                        "fr-FR",
                        SourceChannel.MOBILE_APP,
                        "0f".repeat(32),
                        T0)
                    .resentAt(T0.plusSeconds(90)));

    // When it is written to and read back from the store
    byte[] bytes = serde.serializer().serialize("changelog", state);
    PhoneStanding read = serde.deserializer().deserialize("changelog", bytes);

    // Then nothing is lost
    assertThat(read).isEqualTo(state);
    assertThat(read.program("acme").resendCount()).isEqualTo(1);
  }

  @Test
  void shouldIgnoreUnknownFieldsOfNewerWriter() {
    String newer =
        "{\"v\":2,\"optedOut\":true,\"lastStopAt\":5,\"mood\":\"new\",\"programs\":"
            + "{\"p\":{\"status\":\"CONFIRMED\",\"challengeId\":\"c\",\"extra\":1}}}";

    PhoneStanding read =
        serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

    assertThat(read.optedOut()).isTrue();
    assertThat(read.lastStopAt()).isEqualTo(Instant.ofEpochMilli(5));
    assertThat(read.program("p")).isEqualTo(ProgramChallenge.confirmed("c"));
  }

  @Test
  void shouldRefuseGarbageWithSerializationException() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 1, 2}))
        .isInstanceOf(SerializationException.class);
  }
}
