package io.optin.replies.matching;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.TopologySnapshot;
import io.optin.replies.RepliesSettings;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * The reply processor's topology equals {@code src/test/resources/topology/reply-processor.txt}: a
 * renamed store, source, sink or processor would orphan a changelog (see {@link TopologySnapshot},
 * which also pins the internal topic names derived from them).
 */
class ReplyTopologySnapshotTest {

  @Test
  void shouldMatchTheCommittedTopologySnapshot() {
    // Given the topology as RepliesService builds it, with the default settings
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    OtpCodes codes = OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);

    // When
    Topology topology =
        ReplyTopology.build(
            ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE)),
            serdes,
            codes,
            new SubjectKeys("test-subject-secret-of-at-least-32-bytes".getBytes(UTF_8)),
            OptinMetrics.unexposed());

    // Then
    TopologySnapshot.ofThisModule()
        .assertMatches("reply-processor", ReplyTopology.APPLICATION_ID, topology);
  }
}
