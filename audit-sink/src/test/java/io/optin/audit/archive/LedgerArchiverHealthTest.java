package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** An archiver whose thread ends without being stopped has given up for good. */
class LedgerArchiverHealthTest {

  @Test
  void shouldBeFailedWhenItsThreadEndsWithoutBeingStopped() {
    // Given an archiver whose sink cannot even be opened: an Error, which no retry survives
    LinkageError broken = new LinkageError("the JDBC driver cannot be loaded");
    try (LedgerArchiver archiver =
        new LedgerArchiver(
            "jdbc",
            () -> {
              throw broken;
            },
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
            new InMemorySchemaRegistryClient(),
            Duration.ofMillis(10))) {

      // When it starts
      archiver.start();

      // Then it reports that it gave up, and why (the Error ends its thread)
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(30))
          .until(() -> archiver.state() == LedgerArchiver.State.FAILED);
      assertThat(archiver.lastError()).isSameAs(broken);
    }
  }
}
