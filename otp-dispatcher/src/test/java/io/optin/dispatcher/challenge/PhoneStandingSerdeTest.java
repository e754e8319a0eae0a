package io.optin.dispatcher.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.SourceChannel;
import io.optin.kit.streams.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code dispatcher-phones} store's values through the stores' serde. */
class PhoneStandingSerdeTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /**
   * A phone as the store held it before the services shared one state serde: what a restarted
   * dispatcher restores from an existing changelog.
   */
  private static final String EARLIER_LAYOUT =
      "{\"v\":1,\"optedOut\":false,\"lastStopAt\":1772359300000,\"lastStartAt\":1772359400000,"
          + "\"programs\":{\"acme\":{\"status\":\"PENDING\",\"challengeId\":\"c-3\","
          + "\"signupId\":\"s-3\",\"issuedAt\":1772359200000,\"expiresAt\":1772359800000,"
          + "\"lastSentAt\":1772359290000,\"resendCount\":1,\"locale\":\"fr-FR\","
          + "\"channel\":\"MOBILE_APP\",\"consentTextSha256\":\""
          + "0f".repeat(32)
          + "\",\"requestedAt\":1772359200000},\"beta\":{\"status\":\"CONFIRMED\","
          + "\"challengeId\":\"c-0\",\"resendCount\":0,\"channel\":\"UNKNOWN\"}}}";

  private final JsonSerde<PhoneStanding> serde = new JsonSerde<>(PhoneStanding.class);

  @Test
  void shouldRestoreTheEarlierLayoutAndWriteItAgainWithoutItsVersionField() {
    // Given a phone with a resent pending challenge and a confirmed program, after a STOP and a
    // START
    PhoneStanding state =
        PhoneStanding.EMPTY
            .stop(T0.plusSeconds(100))
            .start(T0.plusSeconds(200))
            .with("beta", ProgramChallenge.confirmed("c-0"))
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

    // When the earlier bytes are restored, and the state written
    PhoneStanding restored =
        serde
            .deserializer()
            .deserialize("changelog", EARLIER_LAYOUT.getBytes(StandardCharsets.UTF_8));
    byte[] written = serde.serializer().serialize("changelog", state);

    // Then nothing is lost, and the layout is the same but for the unread "v" field
    assertThat(restored).isEqualTo(state);
    assertThat(new String(written, StandardCharsets.UTF_8))
        .isEqualTo(EARLIER_LAYOUT.replace("\"v\":1,", ""));
    assertThat(serde.deserializer().deserialize("changelog", written)).isEqualTo(state);
  }

  @Test
  void shouldIgnoreUnknownFieldsAndChannelsOfANewerWriter() {
    String newer =
        "{\"v\":2,\"optedOut\":true,\"lastStopAt\":5,\"mood\":\"new\",\"programs\":"
            + "{\"p\":{\"status\":\"CONFIRMED\",\"challengeId\":\"c\",\"extra\":1,"
            + "\"channel\":\"SMOKE_SIGNAL\"}}}";

    PhoneStanding read =
        serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

    assertThat(read)
        .isEqualTo(
            new PhoneStanding(
                true, Instant.ofEpochMilli(5), null, Map.of("p", ProgramChallenge.confirmed("c"))));
  }
}
