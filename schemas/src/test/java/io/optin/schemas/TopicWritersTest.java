package io.optin.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.DeadLetter;
import io.optin.schemas.Topic.CleanupPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every topic of the catalogue has one writing module, and docs/architecture.md's table of topic
 * writers says exactly what the catalogue says.
 */
class TopicWritersTest {

  private static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");
  private static final String SECTION = "## Topic writers";

  @Test
  void shouldNameTheWriterOfEveryTopicOfTheCatalogue() {
    assertThat(Topics.all())
        .allSatisfy(topic -> assertThat(topic.writer()).as(topic.name()).isNotNull());
  }

  @Test
  void shouldKeepTheSmsDeliveryReportsToTheSenderAlone() {
    assertThat(Topics.SMS_DELIVERY.writers()).containsExactly(Writer.OTP_DISPATCHER);
  }

  @Test
  void shouldRecordTheOnlySecondWritersThatRemain() {
    Map<String, List<Writer>> shared =
        Topics.all().stream()
            .filter(topic -> !topic.otherWriters().isEmpty())
            .collect(Collectors.toMap(Topic::name, Topic::writers));

    assertThat(shared)
        .isEqualTo(
            Map.of(
                "optin.signup-rejects.v1",
                List.of(Writer.SIGNUP_INGEST, Writer.OTP_DISPATCHER),
                "optin.challenges.v1",
                List.of(Writer.OTP_DISPATCHER, Writer.REPLY_PROCESSOR),
                "optin.dead-letters.v1",
                List.of(
                    Writer.OTP_DISPATCHER,
                    Writer.REPLY_PROCESSOR,
                    Writer.AUDIT_SINK,
                    Writer.EVENT_WEBHOOKS)));
  }

  @Test
  void shouldListTheTopicsEachModuleWrites() {
    assertThat(Topics.writtenBy(Writer.REPLY_PROCESSOR))
        .extracting(Topic::name)
        .containsExactly(
            "optin.challenges.v1",
            "optin.sms-inbound.v1",
            "optin.verification-attempts.v1",
            "optin.program-opt-outs.v1",
            "optin.confirmed-subscribers.v1",
            "optin.subscriber-status.v1",
            "optin.dead-letters.v1");
  }

  @Test
  void shouldRefuseASecondWriterWithoutAReasonOrThatIsTheWriterItself() {
    Topic<DeadLetter> topic =
        new Topic<>("t", DeadLetter.class, CleanupPolicy.DELETE, Duration.ofDays(1), false, "k")
            .writtenBy(Writer.AUDIT_SINK);

    assertThatThrownBy(() -> topic.alsoWrittenBy(Writer.OTP_DISPATCHER, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> topic.alsoWrittenBy(Writer.AUDIT_SINK, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                topic
                    .alsoWrittenBy(Writer.OTP_DISPATCHER, "why")
                    .alsoWrittenBy(Writer.OTP_DISPATCHER, "again"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepTheWritersThroughOtherChanges() {
    Topic<?> longer = Topics.CONSENT_AUDIT.withRetention(Duration.ofDays(1826));

    assertThat(longer.writer()).isEqualTo(Writer.AUDIT_SINK);
    assertThat(Topics.CONSENT_KEYS.writer()).isEqualTo(Writer.AUDIT_SINK);
    assertThat(Topics.CONSENT_KEYS.extraConfigs()).isEqualTo(Topics.FAST_COMPACTION);
  }

  @Test
  void shouldDocumentTheWritersOfEveryTopicExactlyAsTheCatalogueHasThem() throws IOException {
    List<String> expected =
        Topics.all().stream().map(TopicWritersTest::row).collect(Collectors.toList());

    assertThat(documentedRows()).containsExactlyElementsOf(expected);
  }

  /** The table row the catalogue gives a topic, cells as the docs write them. */
  private static String row(Topic<?> topic) {
    String others =
        topic.otherWriters().stream()
            .map(other -> other.writer().module() + " (" + other.why() + ")")
            .collect(Collectors.joining("; "));
    return String.join(" | ", "`" + topic.name() + "`", topic.writer().module(), others).strip();
  }

  /** The rows of the table under {@value #SECTION}, their cells trimmed, header excluded. */
  private static List<String> documentedRows() throws IOException {
    List<String> lines = Files.readAllLines(ARCHITECTURE);
    int start = lines.indexOf(SECTION);
    assertThat(start).as(SECTION + " in " + ARCHITECTURE).isNotNegative();
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `")) {
        rows.add(
            List.of(line.substring(1, line.lastIndexOf('|')).split("\\|", -1)).stream()
                .map(String::strip)
                .collect(Collectors.joining(" | "))
                .strip());
      }
    }
    return rows;
  }
}
