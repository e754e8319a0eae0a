package io.optin.server.cli;

import static io.optin.kit.config.ProcessSettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.server.topics.TopicSettings.TOPICS_PARTITIONS;
import static io.optin.server.topics.TopicSettings.TOPICS_REPLICATION_FACTOR;

import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.server.topics.ProvisioningReport;
import io.optin.server.topics.ProvisioningReport.Result;
import io.optin.server.topics.TopicProvisioner;
import io.optin.server.topics.TopicProvisioningException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin topics create}: creates every missing topic of the catalogue; safe to run again and
 * again.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create every optin topic that is missing, with its partitions and configs.",
      "Existing topics are left alone; it fails (exit 1) when a co-partitioned topic has another partition "
          + "count or a topic has another cleanup policy."
    })
public final class TopicsCreateCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Mixin private ConfigOption config;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Kafka cluster to create the topics on (setting kafka.bootstrap.servers).")
  private String bootstrapServers;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Partitions of each topic (setting topics.partitions).")
  private Integer partitions;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description =
          "Replicas of each topic, -1 for the broker's default (setting topics.replication.factor).")
  private Integer replicationFactor;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings =
        override(
            override(
                override(
                    config.load(),
                    KAFKA_BOOTSTRAP_SERVERS,
                    bootstrapServers,
                    "--bootstrap-servers"),
                TOPICS_PARTITIONS,
                partitions,
                "--partitions"),
            TOPICS_REPLICATION_FACTOR,
            replicationFactor,
            "--replication-factor");
    String servers = settings.string(KAFKA_BOOTSTRAP_SERVERS);
    int replicas = settings.integer(TOPICS_REPLICATION_FACTOR);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Creating optin topics on %s: %d partitions, replication factor %s%n%n",
        servers,
        settings.integer(TOPICS_PARTITIONS),
        replicas == -1 ? "of the broker's default" : replicas);
    out.flush();

    ProvisioningReport report;
    try (Admin admin = Admin.create(adminProperties(settings))) {
      report =
          TopicProvisioner.of(admin, settings, TIMEOUT)
              .provision(TopicProvisioner.catalogue(settings));
    } catch (TopicProvisioningException e) {
      throw new TopicProvisioningException(
          "cannot create topics on " + servers + ": " + e.getMessage(), e);
    }
    out.print(report.table());
    out.println();
    out.println(summary(report));
    out.flush();
    return report.succeeded() ? 0 : FailureHandler.FAILED;
  }

  private static String summary(ProvisioningReport report) {
    String counts =
        report.withResult(Result.CREATED).size()
            + " created, "
            + report.withResult(Result.EXISTS).size()
            + " already existed";
    if (report.succeeded()) {
      return "Done: " + counts + ".";
    }
    return "FAILED: "
        + report.withResult(Result.ERROR).size()
        + " in error, "
        + report.withResult(Result.SKIPPED).size()
        + " not created, "
        + counts
        + ".";
  }

  private static Map<String, Object> adminProperties(Settings settings) {
    Map<String, Object> properties = new HashMap<>(settings.kafkaClientProperties());
    properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "optin-topics");
    properties.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    properties.putIfAbsent(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
    return properties;
  }

  private static Settings override(
      Settings settings, Setting<?> setting, Object value, String option) {
    return value == null
        ? settings
        : settings.with(Map.of(setting.key(), value.toString()), "option " + option);
  }
}
