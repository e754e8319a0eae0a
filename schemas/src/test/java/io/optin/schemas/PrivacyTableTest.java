package io.optin.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.schemas.Topic.CleanupPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/privacy.md's table of topics holding a phone in clear says what the catalogue says: the same
 * catalogue topics, each with its cleanup policy and bounds.
 */
class PrivacyTableTest {

  private static final Path PRIVACY = Path.of("..", "docs", "privacy.md");

  @Test
  void shouldListEveryCatalogueTopicHoldingAPhoneWithItsCleanup() throws IOException {
    // Given the table's rows of catalogue topics (internal topics are named optin-<application>-)
    Map<String, String> documented =
        PrivacyTable.rows(Files.readString(PRIVACY)).entrySet().stream()
            .filter(row -> row.getKey().startsWith("optin."))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));

    // Then they are the catalogue's topics with a plaintext phone, in its order, with its cleanup
    Map<String, String> catalogue = new LinkedHashMap<>();
    Topics.withPlaintextPhone().forEach(topic -> catalogue.put(topic.name(), cleanup(topic)));
    assertThat(documented).containsExactlyEntriesOf(catalogue);
  }

  @Test
  void shouldBoundEveryTopicHoldingAPhone() {
    // A phone kept forever could never be erased: every such topic has a retention, or is
    // compacted with a bounded compaction lag (so the erasure's tombstone wins)
    assertThat(Topics.withPlaintextPhone())
        .allSatisfy(
            topic -> {
              if (topic.cleanupPolicy() == CleanupPolicy.DELETE) {
                assertThat(topic.retention()).as(topic.name()).isPositive();
              } else {
                assertThat(topic.extraConfigs())
                    .as(topic.name())
                    .containsKeys("max.compaction.lag.ms", "delete.retention.ms", "segment.ms");
              }
            });
  }

  private static String cleanup(Topic<?> topic) {
    if (topic.cleanupPolicy() == CleanupPolicy.DELETE) {
      return "delete, retention " + days(topic.retention().toMillis());
    }
    Map<String, String> extra = new TreeMap<>(topic.extraConfigs());
    return extra.isEmpty()
        ? "compact"
        : "compact; "
            + extra.entrySet().stream()
                .map(e -> e.getKey() + " " + days(Long.parseLong(e.getValue())))
                .collect(Collectors.joining(", "));
  }

  private static String days(long millis) {
    long days = Duration.ofMillis(millis).toDays();
    return days == 1 ? "1 day" : days + " days";
  }
}
