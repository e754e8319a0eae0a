package io.optin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.testing.TopologyWrites;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.Writer;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The catalogue's writers of the audit sink's topics are what its code writes. */
class WrittenTopicsTest {

  @Test
  void shouldWriteFromTheAuditTopologyOnlyTopicsTheCatalogueGivesTheAuditSink() {
    // Given
    var topology =
        ConsentAuditTopology.build(
            ConsentAuditTopologyConfig.of(
                new SubjectKeys(
                    "test-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                6,
                new LedgerKeys(MasterKey.generate(), CheckpointSigningKey.generate()),
                CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE))),
            new AvroSerdes(new InMemorySchemaRegistryClient(), true));

    // Then: erasure requests are written by `optin audit erase` (LedgerEraser), the rest by the
    // topology
    assertThat(TopologyWrites.sinkTopics(topology))
        .containsExactlyInAnyOrder(
            Topics.writtenBy(Writer.AUDIT_SINK).stream()
                .filter(topic -> topic != Topics.CONSENT_ERASURES)
                .map(Topic::name)
                .toArray(String[]::new));
  }
}
