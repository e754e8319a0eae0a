package io.optin.audit;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.streams.TopologySnapshot;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * The consent ledger's topology equals {@code src/test/resources/topology/audit-sink.txt}: a
 * renamed store, source, sink or processor would orphan a changelog, and with it a subject's hash
 * chain (see {@link TopologySnapshot}, which also pins the internal topic names derived from them).
 */
class ConsentAuditTopologySnapshotTest {

  @Test
  void shouldMatchTheCommittedTopologySnapshot() {
    // Given the topology as AuditService builds it, with the default settings (application id
    // included)
    ConsentAuditTopologyConfig cfg =
        ConsentAuditTopologyConfig.of(
            new SubjectKeys(
                "test-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
            6,
            new LedgerKeys(MasterKey.generate(), CheckpointSigningKey.generate()),
            CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE)));
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

    // When
    Topology topology = ConsentAuditTopology.build(cfg, serdes);

    // Then
    TopologySnapshot.ofThisModule().assertMatches("audit-sink", cfg.applicationId(), topology);
  }
}
