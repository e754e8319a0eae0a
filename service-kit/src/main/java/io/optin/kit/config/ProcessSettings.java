package io.optin.kit.config;

import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of the process every service runs in: the Kafka cluster, the Schema Registry, the
 * one HTTP port and its tokens, the URL Twilio reaches it at, and the Kafka Streams state
 * directory.
 */
public final class ProcessSettings {

  // Kafka and Schema Registry
  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      Setting.text(
          "kafka.bootstrap.servers",
          "127.0.0.1:9092",
          "Kafka brokers to connect to (host:port, comma-separated). Any other `kafka.*` key is "
              + "passed to the Kafka clients with the prefix removed.");
  public static final Setting<String> SCHEMA_REGISTRY_URL =
      Setting.text(
          "schema.registry.url",
          "http://127.0.0.1:8081",
          "Confluent-compatible Schema Registry (Confluent, Karapace, Redpanda, Apicurio).");
  public static final Setting<String> SCHEMA_REGISTRY_USER_INFO =
      Setting.optionalText(
          "schema.registry.basic.auth.user.info",
          "`user:password` for the registry's HTTP basic authentication.");
  public static final Setting<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER =
      Setting.flag(
          "schema.registry.auto.register",
          true,
          "Register a record's schema on first write; set to false where schemas are registered ahead by CI.");

  // HTTP
  public static final Setting<Integer> HTTP_PORT =
      Setting.port(
          "http.port", 8080, "Port of the HTTP API and the Twilio webhooks (0 = any free port).");
  public static final Setting<String> PUBLIC_BASE_URL =
      Setting.text(
          "public.base.url",
          "http://127.0.0.1:8080",
          "URL at which Twilio reaches this server; webhook signatures are checked against it.");
  public static final Setting<List<String>> API_TOKENS =
      Setting.list(
          "api.tokens",
          "Bearer tokens accepted on `/v1/*`. Empty means no authentication, which only `optin dev` allows.");
  public static final Setting<Integer> HTTP_THREADS =
      Setting.integer(
          "http.threads",
          32,
          16,
          1_024,
          "Threads answering HTTP requests; webhooks and `/v1/verifications` hold one for up to "
              + "`replies.answer.wait`.");

  public static final Setting<Integer> HTTP_MAX_CONNECTIONS =
      Setting.integer(
          "http.max.connections",
          HttpLimits.DEFAULT_MAX_CONNECTIONS,
          16,
          100_000,
          "Open connections to the HTTP port beyond which new ones wait in the accept backlog.");
  public static final Setting<Duration> HTTP_READ_TIMEOUT =
      Setting.duration(
          "http.read.timeout",
          HttpLimits.DEFAULT_READ_TIMEOUT,
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          "Time a client has to send a whole request (line, headers, body) from connecting or from "
              + "its previous answer; its connection is closed beyond, so slow clients cannot hold "
              + "connections.");
  public static final Setting<Duration> HTTP_IDLE_TIMEOUT =
      Setting.duration(
          "http.idle.timeout",
          HttpLimits.DEFAULT_IDLE_TIMEOUT,
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "Time a connection may stay with no byte moving (e.g. a client that does not read its "
              + "answer) before it is closed.");

  // Kafka Streams
  public static final Setting<String> STREAMS_STATE_DIR =
      Setting.text(
          "streams.state.dir",
          ".optin/state",
          "Directory of the Kafka Streams state stores (relative to the working directory); `optin dev` uses "
              + "`<dev.data.dir>/streams` unless this is set.");

  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          KAFKA_BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          SCHEMA_REGISTRY_USER_INFO,
          SCHEMA_REGISTRY_AUTO_REGISTER,
          HTTP_PORT,
          PUBLIC_BASE_URL,
          API_TOKENS,
          HTTP_THREADS,
          HTTP_MAX_CONNECTIONS,
          HTTP_READ_TIMEOUT,
          HTTP_IDLE_TIMEOUT,
          STREAMS_STATE_DIR);

  private ProcessSettings() {}

  /** The limits of the HTTP port: {@code http.threads}, {@code http.max.connections}, timeouts. */
  public static HttpLimits httpLimits(Settings settings) {
    return new HttpLimits(
        settings.integer(HTTP_THREADS),
        settings.integer(HTTP_MAX_CONNECTIONS),
        settings.duration(HTTP_READ_TIMEOUT),
        settings.duration(HTTP_IDLE_TIMEOUT),
        HttpExchanges.MAX_BODY_BYTES);
  }

  /** {@code streams.state.dir}, made absolute. */
  public static Path stateDir(Settings settings) {
    return Path.of(settings.string(STREAMS_STATE_DIR)).toAbsolutePath();
  }

  /**
   * The Kafka client settings ({@code kafka.*}, prefix removed) plus the state directory, for a
   * Kafka Streams application; a {@code kafka.state.dir} wins over {@code streams.state.dir}.
   */
  public static Map<String, String> streamsClients(Settings settings) {
    Map<String, String> clients = new TreeMap<>(settings.kafkaClientProperties());
    clients.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir(settings).toString());
    return clients;
  }
}
