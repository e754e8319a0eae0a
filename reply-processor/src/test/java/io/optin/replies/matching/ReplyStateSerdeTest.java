package io.optin.replies.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SourceChannel;
import io.optin.domain.status.SubscriptionStatus;
import io.optin.kit.streams.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reply processor's state values through the stores' serde, every field kept. */
class ReplyStateSerdeTest {

  @Test
  void shouldRoundTripAPhonesChallengesWithEveryField() {
    PhoneChallenges state =
        new PhoneChallenges(
            List.of(
                new OpenChallenge(
                    "c1",
                    "p1",
                    "s1",
                    "+14155550999",
                    1_000,
                    601_000,
                    2,
                    1,
                    "fr-FR",
                    SourceChannel.MOBILE_APP,
                    "abc",
                    null)),
            List.of(new ClosedChallenge("c0", "p0", 10, 20, ChallengeOutcome.LOCKED, 30)));
    JsonSerde<PhoneChallenges> serde = new JsonSerde<>(PhoneChallenges.class);

    byte[] bytes = serde.serializer().serialize("t", state);

    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(state);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("nothingKnown");
  }

  @Test
  void shouldRoundTripParkedAnswersAndReadAStateStoredBeforeThem() {
    PhoneChallenges state =
        PhoneChallenges.EMPTY
            .withParked(Reply.yes("SM-1", "+14155550999", 5))
            .withParked(Reply.codeEntry("att-1", "p1", "hash", 6))
            .withStop(7);
    JsonSerde<PhoneChallenges> serde = new JsonSerde<>(PhoneChallenges.class);

    byte[] bytes = serde.serializer().serialize("t", state);

    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(state);
    assertThat(
            serde
                .deserializer()
                .deserialize("t", "{\"open\":[],\"closed\":[]}".getBytes(StandardCharsets.UTF_8))
                .parked())
        .isEmpty();
  }

  @Test
  void shouldRoundTripStatusesAndOutcomes() {
    PhoneStatuses statuses =
        new PhoneStatuses(
            Map.of(
                "p1",
                new ProgramStatus(SubscriptionStatus.NONE, "c1", "opted in again by START", 5)));
    JsonSerde<PhoneStatuses> statusSerde = new JsonSerde<>(PhoneStatuses.class);
    JsonSerde<OutcomeEntry> outcomeSerde = new JsonSerde<>(OutcomeEntry.class);

    assertThat(
            statusSerde
                .deserializer()
                .deserialize("t", statusSerde.serializer().serialize("t", statuses)))
        .isEqualTo(statuses);
    OutcomeEntry entry = new OutcomeEntry("WRONG_CODE:2", 99);
    assertThat(
            outcomeSerde
                .deserializer()
                .deserialize("t", outcomeSerde.serializer().serialize("t", entry)))
        .isEqualTo(entry);
  }
}
