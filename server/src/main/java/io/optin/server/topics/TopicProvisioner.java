package io.optin.server.topics;

import io.optin.audit.AuditSettings;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.ValueType;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.server.topics.ProvisioningReport.Outcome;
import io.optin.server.topics.ProvisioningReport.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the catalogue that are missing, idempotently, and refuses to go on when an
 * existing co-partitioned topic has another partition count or a topic has another cleanup policy:
 * joins would silently miss records, or compaction would delete proof.
 */
public final class TopicProvisioner {

  private final Admin admin;
  private final int partitions;
  private final Optional<Short> replicationFactor;
  private final Duration timeout;

  /**
   * @param partitions partitions of every topic created, and of every co-partitioned topic that
   *     exists
   * @param replicationFactor replicas of every topic created; -1 for the broker's default
   * @param timeout for each round trip to the cluster
   */
  public TopicProvisioner(Admin admin, int partitions, int replicationFactor, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.partitions = partitions;
    this.replicationFactor =
        replicationFactor == -1 ? Optional.empty() : Optional.of((short) replicationFactor);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** A provisioner with {@code topics.partitions} and {@code topics.replication.factor}. */
  public static TopicProvisioner of(Admin admin, Settings settings, Duration timeout) {
    return new TopicProvisioner(
        admin,
        settings.integer(TopicSettings.TOPICS_PARTITIONS),
        settings.integer(TopicSettings.TOPICS_REPLICATION_FACTOR),
        timeout);
  }

  /**
   * The topic catalogue as these settings want it: the consent ledger kept for {@code
   * audit.retention}.
   */
  public static List<Topic<?>> catalogue(Settings settings) {
    Duration auditRetention = settings.duration(AuditSettings.AUDIT_RETENTION);
    return Topics.all().stream()
        .<Topic<?>>map(
            topic ->
                topic == Topics.CONSENT_AUDIT
                    ? topic.withRetention(auditRetention)
                    : topic == Topics.INTAKE_CLAIMS ? claimsKeptFor(settings, topic) : topic)
        .toList();
  }

  /**
   * The claims a restarted ingest reads back span the idempotency ttl: keep them a day longer when
   * the ttl outgrows the catalogue's retention.
   */
  private static Topic<?> claimsKeptFor(Settings settings, Topic<?> claims) {
    Duration needed = settings.duration(IngestSettings.INGEST_IDEMPOTENCY_TTL).plusDays(1);
    return needed.compareTo(claims.retention()) > 0 ? claims.withRetention(needed) : claims;
  }

  /**
   * Creates whichever of {@code topics} are missing, unless an existing one is in error.
   *
   * @throws TopicProvisioningException when the cluster cannot be reached or answers with an error
   */
  public ProvisioningReport provision(List<Topic<?>> topics) {
    Set<String> onCluster = new HashSet<>(await(admin.listTopics().names()));
    // The listing comes from a broker's metadata cache, which can lag behind the controller: a
    // topic created a moment ago may be missing from it. Asking the controller to validate the
    // creation of the missing ones finds those, so that none is created while another is in error.
    onCluster.addAll(
        existingPerController(
            topics.stream().filter(topic -> !onCluster.contains(topic.name())).toList()));
    List<Topic<?>> existing =
        topics.stream().filter(topic -> onCluster.contains(topic.name())).toList();
    List<Topic<?>> missing =
        topics.stream().filter(topic -> !onCluster.contains(topic.name())).toList();

    List<Outcome> judged = inspect(existing);
    boolean inError = judged.stream().anyMatch(outcome -> outcome.result() == Result.ERROR);
    Map<String, Outcome> byTopic = new HashMap<>();
    judged.forEach(outcome -> byTopic.put(outcome.topic(), outcome));
    (inError ? skip(missing) : create(missing))
        .forEach(outcome -> byTopic.put(outcome.topic(), outcome));
    return new ProvisioningReport(topics.stream().map(topic -> byTopic.get(topic.name())).toList());
  }

  private List<Outcome> inspect(List<Topic<?>> topics) {
    if (topics.isEmpty()) {
      return List.of();
    }
    List<String> names = topics.stream().map(Topic::name).toList();
    Map<String, TopicDescription> descriptions =
        awaitRetrying(() -> admin.describeTopics(names).allTopicNames());
    List<ConfigResource> resources =
        names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs =
        awaitRetrying(() -> admin.describeConfigs(resources).all());
    List<Outcome> outcomes = new ArrayList<>();
    for (Topic<?> topic : topics) {
      TopicDescription description = descriptions.get(topic.name());
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      outcomes.add(judge(topic, description, config));
    }
    return outcomes;
  }

  private Outcome judge(Topic<?> topic, TopicDescription description, Config config) {
    int actualPartitions = description.partitions().size();
    int replicas = description.partitions().get(0).replicas().size();
    String cleanup = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    String retentionMs = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
    List<String> problems = new ArrayList<>();
    if (topic.fixedPartitions().isPresent() && actualPartitions != topic.fixedPartitions().get()) {
      problems.add(
          "has "
              + actualPartitions
              + " partitions, the catalogue needs exactly "
              + topic.fixedPartitions().get());
    }
    if (topic.coPartitioned() && actualPartitions != partitions) {
      problems.add(
          "has "
              + actualPartitions
              + " partitions, the co-partitioned topics need "
              + partitions
              + " (topics.partitions)");
    }
    if (!cleanup.equals(topic.cleanupPolicy().config())) {
      problems.add(
          "cleanup.policy=" + cleanup + ", the catalogue needs " + topic.cleanupPolicy().config());
    }
    if (!problems.isEmpty()) {
      return new Outcome(
          topic.name(), Result.ERROR, actualPartitions, replicas, String.join("; ", problems));
    }
    String detail = describe(cleanup, Long.parseLong(retentionMs));
    String expectedRetention = topic.configs().get(TopicConfig.RETENTION_MS_CONFIG);
    if (expectedRetention != null && !expectedRetention.equals(retentionMs)) {
      detail += " (the catalogue says " + retention(Long.parseLong(expectedRetention)) + ")";
    }
    // Other drift is reported, never altered: an operator applies it with kafka-configs (the
    // applications hold no AlterConfigs right on the topics).
    List<String> drifted = new ArrayList<>();
    new TreeMap<>(topic.extraConfigs())
        .forEach(
            (name, expected) -> {
              ConfigEntry actual = config.get(name);
              if (actual == null || !expected.equals(actual.value())) {
                drifted.add(name + "=" + (actual == null ? "unset" : actual.value()));
              }
            });
    if (!drifted.isEmpty()) {
      detail +=
          "; "
              + String.join(", ", drifted)
              + " (the catalogue says "
              + drifted.stream()
                  .map(entry -> entry.substring(0, entry.indexOf('=')))
                  .map(name -> name + "=" + topic.extraConfigs().get(name))
                  .collect(Collectors.joining(", "))
              + ")";
    }
    return new Outcome(topic.name(), Result.EXISTS, actualPartitions, replicas, detail);
  }

  private Set<String> existingPerController(List<Topic<?>> topics) {
    if (topics.isEmpty()) {
      return Set.of();
    }
    CreateTopicsResult result =
        admin.createTopics(newTopics(topics), new CreateTopicsOptions().validateOnly(true));
    Set<String> existing = new HashSet<>();
    for (Topic<?> topic : topics) {
      try {
        await(result.values().get(topic.name()));
      } catch (TopicProvisioningException e) {
        if (e.getCause() instanceof TopicExistsException) {
          existing.add(topic.name());
        }
        // Any other refusal shows again, with its reason, when the topic is really created.
      }
    }
    return existing;
  }

  private List<NewTopic> newTopics(List<Topic<?>> topics) {
    return topics.stream()
        .map(
            topic ->
                new NewTopic(topic.name(), Optional.of(partitionsOf(topic)), replicationFactor)
                    .configs(topic.configs()))
        .toList();
  }

  private List<Outcome> create(List<Topic<?>> topics) {
    if (topics.isEmpty()) {
      return List.of();
    }
    CreateTopicsResult result = admin.createTopics(newTopics(topics));
    List<Outcome> outcomes = new ArrayList<>();
    List<Topic<?>> raced = new ArrayList<>();
    for (Topic<?> topic : topics) {
      try {
        int replicas = await(result.replicationFactor(topic.name()));
        outcomes.add(
            new Outcome(
                topic.name(),
                Result.CREATED,
                partitionsOf(topic),
                replicas,
                describe(topic.configs())));
      } catch (TopicProvisioningException e) {
        if (e.getCause() instanceof TopicExistsException) {
          raced.add(topic);
        } else {
          outcomes.add(
              new Outcome(topic.name(), Result.ERROR, 0, 0, "not created: " + e.getMessage()));
        }
      }
    }
    // Created meanwhile by someone else (another instance starting): judge it like any existing
    // topic.
    outcomes.addAll(inspect(raced));
    // Return only once every created topic is served, so a service started next finds its topics.
    List<String> created =
        outcomes.stream().filter(o -> o.result() == Result.CREATED).map(Outcome::topic).toList();
    if (!created.isEmpty()) {
      awaitRetrying(() -> admin.describeTopics(created).allTopicNames());
    }
    return outcomes;
  }

  private int partitionsOf(Topic<?> topic) {
    return topic.fixedPartitions().orElse(partitions);
  }

  private static List<Outcome> skip(Collection<Topic<?>> topics) {
    return topics.stream()
        .map(
            topic ->
                new Outcome(
                    topic.name(), Result.SKIPPED, 0, 0, "missing; fix the topics in error first"))
        .toList();
  }

  private static String describe(Map<String, String> configs) {
    String retentionMs = configs.get(TopicConfig.RETENTION_MS_CONFIG);
    return describe(
        configs.get(TopicConfig.CLEANUP_POLICY_CONFIG),
        retentionMs == null ? null : Long.parseLong(retentionMs));
  }

  private static String describe(String cleanupPolicy, Long retentionMs) {
    boolean deletes = cleanupPolicy.contains(Topic.CleanupPolicy.DELETE.config());
    return deletes && retentionMs != null
        ? cleanupPolicy + ", retention " + retention(retentionMs)
        : cleanupPolicy;
  }

  private static String retention(long retentionMs) {
    return ValueType.RETENTION.format(Duration.ofMillis(retentionMs));
  }

  /**
   * Like {@link #await} but asks again while the cluster answers with a retriable error: a topic
   * that was just created is listed before every broker serves its metadata ("does not host this
   * topic-partition").
   */
  private <T> T awaitRetrying(Supplier<KafkaFuture<T>> request) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return await(request.get());
      } catch (TopicProvisioningException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        if (Thread.currentThread().isInterrupted()) {
          throw new TopicProvisioningException("interrupted", e);
        }
      }
    }
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("interrupted", e);
    } catch (ExecutionException e) {
      throw new TopicProvisioningException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicProvisioningException(
          "no answer from the cluster within " + ValueType.DURATION.format(timeout), e);
    }
  }
}
