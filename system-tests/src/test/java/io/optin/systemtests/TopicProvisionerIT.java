package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.server.topics.ProvisioningReport;
import io.optin.server.topics.ProvisioningReport.Outcome;
import io.optin.server.topics.ProvisioningReport.Result;
import io.optin.server.topics.TopicProvisioner;
import io.optin.server.topics.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopicProvisionerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  // A broker per test: each starts from a cluster without topics (deleting topics is asynchronous
  // in Kafka).
  private EmbeddedKafkaBroker broker;
  private Admin admin;

  @BeforeEach
  void startBroker() {
    broker = EmbeddedKafkaBroker.builder().port(0).build().start();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  @AfterEach
  void stopBroker() {
    admin.close();
    broker.close();
  }

  @Test
  void shouldCreateEveryTopicWithItsPartitionsAndConfigs() throws Exception {
    // Given the catalogue with a 5-year ledger
    Settings settings =
        Settings.load(
            TopicSettings.CATALOGUE,
            Optional.empty(),
            Map.of("OPTIN_TOPICS_PARTITIONS", "4", "OPTIN_AUDIT_RETENTION", "1825d"));
    List<Topic<?>> catalogue = TopicProvisioner.catalogue(settings);

    // When
    ProvisioningReport report = TopicProvisioner.of(admin, settings, TIMEOUT).provision(catalogue);

    // Then every topic was created, with 4 partitions (the one-partition claims log with 1), one
    // replica and the catalogue's configs
    assertThat(report.succeeded()).isTrue();
    assertThat(report.outcomes())
        .extracting(Outcome::topic)
        .containsExactlyElementsOf(Topics.all().stream().map(Topic::name).toList());
    assertThat(report.outcomes()).extracting(Outcome::result).containsOnly(Result.CREATED);
    Map<String, TopicDescription> descriptions = describe(catalogue);
    for (Topic<?> topic : catalogue) {
      TopicDescription description = descriptions.get(topic.name());
      assertThat(description.partitions())
          .as(topic.name())
          .hasSize(topic == Topics.INTAKE_CLAIMS ? 1 : 4);
      assertThat(description.partitions().get(0).replicas()).hasSize(1);
    }
    for (Topic<?> topic : catalogue) {
      Config config = config(topic.name());
      topic
          .configs()
          .forEach(
              (name, value) ->
                  assertThat(config.get(name).value())
                      .as(topic.name() + " " + name)
                      .isEqualTo(value));
    }
    assertThat(config(Topics.CONSENT_AUDIT.name()).get("retention.ms").value())
        .isEqualTo(Long.toString(Duration.ofDays(1825).toMillis()));
    assertThat(config(Topics.SUBSCRIBER_STATUS.name()).get("cleanup.policy").value())
        .isEqualTo("compact");
  }

  @Test
  void shouldReportExistingTopicsAndChangeNothingTheSecondTime() {
    // Given
    Settings settings = Settings.defaults(TopicSettings.CATALOGUE);
    TopicProvisioner provisioner = TopicProvisioner.of(admin, settings, TIMEOUT);
    provisioner.provision(TopicProvisioner.catalogue(settings));

    // When
    ProvisioningReport second = provisioner.provision(TopicProvisioner.catalogue(settings));

    // Then
    assertThat(second.succeeded()).isTrue();
    assertThat(second.outcomes()).extracting(Outcome::result).containsOnly(Result.EXISTS);
    assertThat(second.outcomes())
        .allSatisfy(
            outcome ->
                assertThat(outcome.partitions())
                    .as(outcome.topic())
                    .isEqualTo(outcome.topic().equals(Topics.INTAKE_CLAIMS.name()) ? 1 : 6));
  }

  @Test
  void shouldRefuseACoPartitionedTopicWithAnotherPartitionCountAndCreateNothing() throws Exception {
    // Given the challenges topic made by hand with 3 partitions
    admin.createTopics(List.of(new NewTopic(Topics.CHALLENGES.name(), 3, (short) 1))).all().get();
    Settings settings = Settings.defaults(TopicSettings.CATALOGUE);

    // When
    ProvisioningReport report =
        TopicProvisioner.of(admin, settings, TIMEOUT)
            .provision(TopicProvisioner.catalogue(settings));

    // Then
    assertThat(report.succeeded()).isFalse();
    assertThat(report.withResult(Result.ERROR))
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.topic()).isEqualTo(Topics.CHALLENGES.name());
              assertThat(outcome.partitions()).isEqualTo(3);
              assertThat(outcome.detail())
                  .isEqualTo(
                      "has 3 partitions, the co-partitioned topics need 6 (topics.partitions)");
            });
    assertThat(report.withResult(Result.SKIPPED)).hasSize(Topics.all().size() - 1);
    assertThat(admin.listTopics().names().get()).containsExactly(Topics.CHALLENGES.name());
  }

  @Test
  void shouldAcceptATopicThatIsNotCoPartitionedWithAnyPartitionCount() throws Exception {
    // Given the compacted status topic made by hand with 2 partitions
    admin
        .createTopics(
            List.of(
                new NewTopic(Topics.SUBSCRIBER_STATUS.name(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"))))
        .all()
        .get();
    Settings settings = Settings.defaults(TopicSettings.CATALOGUE);

    // When
    ProvisioningReport report =
        TopicProvisioner.of(admin, settings, TIMEOUT)
            .provision(TopicProvisioner.catalogue(settings));

    // Then
    assertThat(report.succeeded()).isTrue();
    assertThat(report.withResult(Result.EXISTS))
        .singleElement()
        .satisfies(outcome -> assertThat(outcome.partitions()).isEqualTo(2));
    assertThat(report.withResult(Result.CREATED)).hasSize(Topics.all().size() - 1);
  }

  @Test
  void shouldReportTheBoundsOfATopicMadeBeforeErasuresWithoutAlteringIt() throws Exception {
    // Given the confirmations kept forever and the statuses compacted with Kafka's defaults, as
    // the catalogue made them before erasures wrote tombstones there
    admin
        .createTopics(
            List.of(
                new NewTopic(Topics.CONFIRMED_SUBSCRIBERS.name(), 6, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1")),
                new NewTopic(Topics.SUBSCRIBER_STATUS.name(), 6, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"))))
        .all()
        .get();
    Settings settings = Settings.defaults(TopicSettings.CATALOGUE);

    // When
    ProvisioningReport report =
        TopicProvisioner.of(admin, settings, TIMEOUT)
            .provision(TopicProvisioner.catalogue(settings));

    // Then both exist, each with what differs from the catalogue said, and are left as they are
    assertThat(report.succeeded()).isTrue();
    assertThat(report.withResult(Result.EXISTS))
        .extracting(Outcome::topic, Outcome::detail)
        .containsExactly(
            tuple(
                Topics.CONFIRMED_SUBSCRIBERS.name(),
                "delete, retention infinite (the catalogue says 30d)"),
            tuple(
                Topics.SUBSCRIBER_STATUS.name(),
                "compact; delete.retention.ms=86400000, max.compaction.lag.ms=9223372036854775807,"
                    + " segment.ms=604800000 (the catalogue says delete.retention.ms=604800000,"
                    + " max.compaction.lag.ms=604800000, segment.ms=86400000)"));
    assertThat(config(Topics.CONFIRMED_SUBSCRIBERS.name()).get("retention.ms").value())
        .isEqualTo("-1");
  }

  @Test
  void shouldRefuseATopicWithAnotherCleanupPolicy() throws Exception {
    // Given the consent ledger compacted by mistake: compaction would delete proof of consent
    admin
        .createTopics(
            List.of(
                new NewTopic(Topics.CONSENT_AUDIT.name(), 6, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"))))
        .all()
        .get();
    Settings settings = Settings.defaults(TopicSettings.CATALOGUE);

    // When
    ProvisioningReport report =
        TopicProvisioner.of(admin, settings, TIMEOUT)
            .provision(TopicProvisioner.catalogue(settings));

    // Then
    assertThat(report.succeeded()).isFalse();
    assertThat(report.withResult(Result.ERROR))
        .singleElement()
        .extracting(Outcome::detail)
        .isEqualTo("cleanup.policy=compact, the catalogue needs delete");
  }

  private Map<String, TopicDescription> describe(List<Topic<?>> topics) throws Exception {
    Set<String> names = topics.stream().map(Topic::name).collect(Collectors.toSet());
    return admin.describeTopics(names).allTopicNames().get();
  }

  private Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
