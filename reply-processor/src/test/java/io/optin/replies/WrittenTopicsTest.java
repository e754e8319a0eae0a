package io.optin.replies;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.testing.TopologyWrites;
import io.optin.replies.matching.ReplyTopology;
import io.optin.replies.matching.ReplyTopologyConfig;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.Writer;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalogue's writers of the reply processor's topics are what its code writes. */
class WrittenTopicsTest {

  @Test
  void shouldWriteFromTheReplyTopologyOnlyTopicsTheCatalogueGivesTheReplyProcessor() {
    // Given
    var topology =
        ReplyTopology.build(
            ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE)),
            new AvroSerdes(new InMemorySchemaRegistryClient(), true),
            new OtpCodes(
                "test-otp-secret-not-for-production-use".getBytes(StandardCharsets.UTF_8), 6),
            new SubjectKeys(
                "test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8)));
    // Written by the HTTP side: the inbound webhook and POST /v1/verifications.
    List<Topic<?>> fromHttp = List.of(Topics.SMS_INBOUND, Topics.VERIFICATION_ATTEMPTS);

    // Then
    assertThat(TopologyWrites.sinkTopics(topology))
        .containsExactlyInAnyOrder(
            Topics.writtenBy(Writer.REPLY_PROCESSOR).stream()
                .filter(topic -> !fromHttp.contains(topic))
                .map(Topic::name)
                .toArray(String[]::new));
  }
}
