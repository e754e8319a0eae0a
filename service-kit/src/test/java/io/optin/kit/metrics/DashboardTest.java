package io.optin.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.optin.kit.streams.StreamsService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and its docker-compose provisioning hold together: the files parse, the
 * mounts and the datasource uid agree, and every metric a query names is one the app exposes (a
 * registry with every optin meter, the JVM and a Kafka Streams client bound, scraped and read
 * strictly).
 */
class DashboardTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** PromQL words that are not metric names. */
  private static final Set<String> PROMQL =
      Set.of(
          "sum",
          "max",
          "min",
          "avg",
          "count",
          "rate",
          "irate",
          "increase",
          "histogram_quantile",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "label_values",
          "offset",
          "bool");

  @TempDir Path stateDir;
  private final Metrics registry = new Metrics();
  private StreamsService streams;
  private Metrics.Binding jvm;

  @BeforeEach
  void bindEverythingTheAppBinds() {
    OptinMetrics metrics = OptinMetrics.on(registry);
    jvm = registry.bindJvm();
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
    streams =
        new StreamsService(
            "dispatcher",
            "dashboard-test",
            builder.build(),
            Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()),
            StreamsService.Options.defaults().withMetrics(metrics)) {};
    metrics.signupAnswered(202);
    metrics.signupAccepted("news", "FR");
    metrics.velocityLimitTripped("phone");
    metrics.prefixBlocked();
    metrics.smsSent("CONFIRMATION_CODE", "news", "FR");
    metrics.smsDelivered(null, "FR");
    metrics.smsFailed(21211);
    metrics.replyReceived("CONFIRM");
    metrics.confirmed("reply_yes", "news", "FR");
    metrics.expired();
    metrics.locked();
    metrics.forgedWebhook("inbound");
    metrics.streamThreadReplaced("dispatcher");
    metrics.signupToSms(Duration.ofMillis(40));
    metrics.replyToConfirmed("reply_yes", Duration.ofMillis(80));
    metrics.confirmedToLedger(Duration.ofMillis(300));
    metrics.httpRequest("/v1/signups", "POST", 202, Duration.ofMillis(3));
    metrics.watchChallengePhones("replies", () -> 7);
    metrics.watchHealth(streams);
    // GC pauses are timed from the JVM's notifications: one collection makes the meter appear.
    System.gc();
    await().until(() -> registry.render().contains("jvm_gc_pause_seconds_count"));
  }

  @AfterEach
  void close() {
    streams.close();
    jvm.close();
  }

  @Test
  void shouldQueryOnlyMetricsTheAppExposes() throws IOException {
    // Given the app's whole scrape, read strictly
    long started = System.nanoTime();
    String text = registry.render();
    long renderNanos = System.nanoTime() - started;
    PrometheusText scrape = PrometheusText.parse(text);
    System.out.printf(
        "/metrics with one Streams client: %d families, %d bytes, rendered in %.1f ms%n",
        scrape.families().size(), text.length(), renderNanos / 1e6);
    Set<String> exposed = scrape.sampleNames();

    // When every query of the dashboard is read
    JsonNode dashboard = dashboard();
    List<String> queries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
      if (!panel.get("type").asText().equals("row")) {
        assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
        panel.get("targets").forEach(target -> queries.add(target.get("expr").asText()));
      }
    }
    for (JsonNode variable : dashboard.at("/templating/list")) {
      queries.add(variable.at("/query/query").asText());
    }

    // Then each names only exposed metrics, and the funnel, the hops, Kafka and the JVM are there
    Set<String> named = new TreeSet<>();
    for (String query : queries) {
      Set<String> metrics = metricNames(query);
      assertThat(metrics).as("a query names a metric: " + query).isNotEmpty();
      assertThat(exposed).as(query).containsAll(metrics);
      named.addAll(metrics);
    }
    assertThat(named)
        .contains(
            "optin_signups_accepted_total",
            "optin_sms_sent_total",
            "optin_sms_delivered_total",
            "optin_confirmations_total",
            "optin_signup_to_sms_seconds_bucket",
            "optin_reply_to_confirmed_seconds_bucket",
            "optin_confirmed_to_ledger_seconds_bucket",
            "optin_http_server_requests_seconds_bucket",
            "optin_challenge_phones_approx",
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_commit_latency_avg",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_sum",
            "process_cpu_usage");
  }

  @Test
  void shouldFilterTheFunnelByLabelsItsCountersCarry() throws IOException {
    // Given
    PrometheusText scrape = PrometheusText.parse(registry.render());

    // Then every label a query matches on or groups by is one its metrics carry
    for (JsonNode panel : dashboard().get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String query = target.get("expr").asText();
        for (String metric : metricNames(query)) {
          Set<String> carried = labelsOf(scrape, metric);
          Matcher selector = Pattern.compile(metric + "\\{([^}]*)}").matcher(query);
          while (selector.find()) {
            for (String matcher : selector.group(1).split(",")) {
              String label = matcher.split("[=!~]", 2)[0].strip();
              assertThat(carried).as(query).contains(label);
            }
          }
        }
      }
    }
    assertThat(labelsOf(scrape, "optin_confirmations_total"))
        .containsExactlyInAnyOrder("method", "program", "country");
  }

  @Test
  void shouldProvisionPrometheusAndGrafanaFromFilesInTheRepository() throws IOException {
    // Given
    JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    JsonNode services = compose.get("services");

    // Then Prometheus scrapes the port and path of every replica of every optin service
    JsonNode prometheus = services.get("prometheus");
    String prometheusConfig = mountedFile(prometheus, "/etc/prometheus/prometheus.yml");
    JsonNode scrape =
        YAML.readTree(ROOT.resolve(prometheusConfig).toFile()).at("/scrape_configs/0");
    assertThat(scrape.get("metrics_path").asText()).isEqualTo("/metrics");
    JsonNode discovery = scrape.at("/dns_sd_configs/0");
    assertThat(discovery.get("port").asInt()).isEqualTo(8080);
    List<String> scraped = new ArrayList<>();
    discovery.get("names").forEach(name -> scraped.add(name.asText()));
    assertThat(scraped).containsExactly("ingest", "dispatcher", "sender", "replies", "audit");
    assertThat(services.fieldNames()).toIterable().containsAll(scraped);

    // And Grafana gets the datasource the dashboard names and the dashboards' folder
    JsonNode grafana = services.get("grafana");
    String provisioning = mountedFile(grafana, "/etc/grafana/provisioning");
    String dashboards = mountedFile(grafana, "/var/lib/grafana/dashboards");
    JsonNode datasource =
        YAML.readTree(ROOT.resolve(provisioning).resolve("datasources/prometheus.yml").toFile())
            .at("/datasources/0");
    assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
    JsonNode provider =
        YAML.readTree(ROOT.resolve(provisioning).resolve("dashboards/optin.yml").toFile())
            .at("/providers/0");
    assertThat(provider.at("/options/path").asText()).isEqualTo("/var/lib/grafana/dashboards");
    assertThat(ROOT.resolve(dashboards).resolve("optin.json")).isRegularFile();
    for (JsonNode panel : dashboard().get("panels")) {
      if (panel.has("datasource")) {
        assertThat(panel.at("/datasource/uid").asText()).isEqualTo(datasource.get("uid").asText());
      }
    }
  }

  /** The repository path mounted at {@code target} by a compose service, checked to exist. */
  private static String mountedFile(JsonNode service, String target) {
    for (JsonNode volume : service.get("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[1].equals(target)) {
        assertThat(ROOT.resolve(parts[0])).exists();
        return parts[0];
      }
    }
    throw new AssertionError("nothing mounted at " + target + " in " + service);
  }

  private static JsonNode dashboard() throws IOException {
    return JSON.readTree(Files.readString(ROOT.resolve("deploy/grafana/dashboards/optin.json")));
  }

  /** The metric names of a PromQL query: its identifiers less strings, labels, ranges, words. */
  static Set<String> metricNames(String query) {
    String bare =
        query
            .replaceAll("\"[^\"]*\"", "\"\"")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "")
            .replaceAll("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*),[^)]*\\)", "$1");
    Set<String> names = new TreeSet<>();
    Matcher identifier = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (identifier.find()) {
      if (!PROMQL.contains(identifier.group())) {
        names.add(identifier.group());
      }
    }
    return names;
  }

  private static Set<String> labelsOf(PrometheusText scrape, String sample) {
    Set<String> labels = new HashSet<>();
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    scrape
        .families()
        .values()
        .forEach(
            family ->
                family.samples().keySet().stream()
                    .filter(key -> key.equals(sample) || key.startsWith(sample + "{"))
                    .forEach(
                        key -> {
                          Matcher m = label.matcher(key);
                          while (m.find()) {
                            labels.add(m.group(1));
                          }
                        }));
    return labels;
  }
}
