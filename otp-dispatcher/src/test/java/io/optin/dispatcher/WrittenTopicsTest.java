package io.optin.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.dispatcher.challenge.ChallengeTopology;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.testing.TopologyWrites;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.Writer;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The catalogue's writers of the dispatcher's topics are what its code writes. */
class WrittenTopicsTest {

  @Test
  void shouldWriteFromTheChallengeTopologyOnlyTopicsTheCatalogueGivesTheDispatcher() {
    // Given
    var topology =
        ChallengeTopology.build(
            new ChallengeTopologyConfig(
                Duration.ofMinutes(10), Duration.ofSeconds(60), 2, "+15005550006", null),
            new AvroSerdes(new InMemorySchemaRegistryClient(), true),
            new SubjectKeys(
                "test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8)));

    // Then: the delivery reports and the send intents are the sender's (and its status
    // webhook's), the rest the topology's
    assertThat(TopologyWrites.sinkTopics(topology))
        .containsExactlyInAnyOrder(
            Topics.writtenBy(Writer.OTP_DISPATCHER).stream()
                .filter(topic -> topic != Topics.SMS_DELIVERY && topic != Topics.SMS_INTENTS)
                .map(Topic::name)
                .toArray(String[]::new));
  }
}
