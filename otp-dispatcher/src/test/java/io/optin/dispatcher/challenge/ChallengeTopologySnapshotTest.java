package io.optin.dispatcher.challenge;

import io.optin.kit.streams.TopologySnapshot;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's topology equals {@code src/test/resources/topology/otp-dispatcher.txt}: a
 * renamed store, source, sink or processor would orphan the state store's changelog (see {@link
 * TopologySnapshot}, which also pins the internal topic names derived from them).
 */
class ChallengeTopologySnapshotTest {

  @Test
  void shouldMatchTheCommittedTopologySnapshot() {
    // Given the topology as DispatcherService builds it; the otp.* values (here their defaults)
    // shape no node of it
    ChallengeTopologyConfig config =
        new ChallengeTopologyConfig(
            Duration.ofMinutes(10), Duration.ofSeconds(60), 3, "+15005550006", null);
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

    // When
    Topology topology = ChallengeTopology.build(config, serdes, ChallengeTopologyTest.SUBJECTS);

    // Then
    TopologySnapshot.ofThisModule()
        .assertMatches("otp-dispatcher", ChallengeTopology.APPLICATION_ID, topology);
  }
}
