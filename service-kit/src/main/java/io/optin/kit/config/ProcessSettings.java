package io.optin.kit.config;

import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpLimits;
import io.optin.kit.streams.BoundedRocksDbMemory;
import io.optin.schemas.registry.RegistryTls;
import io.optin.schemas.registry.SchemaRegistrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
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
  public static final Setting<String> SCHEMA_REGISTRY_BEARER_TOKEN =
      Setting.optionalText(
          SchemaRegistrySettings.BEARER_TOKEN,
          "Static bearer token sent to the registry (`Authorization: Bearer`); give it as a "
              + "variable. One of basic auth, this, or `schema.registry.oauth.*`.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_TOKEN_URL =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_TOKEN_URL,
          "OAuth 2.0 token endpoint: the registry client gets bearer tokens from it with the "
              + "client credentials grant, keeps each until a tenth of its lifetime (at most 1 "
              + "minute) is left, and gets a new one once when the registry answers 401.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_CLIENT_ID =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_CLIENT_ID, "OAuth client id of the registry client.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_CLIENT_SECRET,
          "OAuth client secret of the registry client.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_SCOPE =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_SCOPE,
          "Scope asked for with the registry's tokens (space-separated); unset: none asked.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_LOGICAL_CLUSTER =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_LOGICAL_CLUSTER,
          "Confluent Cloud Schema Registry cluster id (`lsrc-...`), sent as `target-sr-cluster` "
              + "with OAuth tokens.");
  public static final Setting<String> SCHEMA_REGISTRY_OAUTH_IDENTITY_POOL_ID =
      Setting.optionalText(
          SchemaRegistrySettings.OAUTH_IDENTITY_POOL_ID,
          "Confluent Cloud identity pool (`pool-...`), sent as `Confluent-Identity-Pool-Id` with "
              + "OAuth tokens.");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION =
      Setting.optionalText(
          RegistryTls.TRUSTSTORE_LOCATION,
          "Trust store of the registry's HTTPS certificate authorities; unset: the JDK's.");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD =
      Setting.optionalText(RegistryTls.TRUSTSTORE_PASSWORD, "Password of the trust store.");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE =
      storeType(RegistryTls.TRUSTSTORE_TYPE, "Type of the trust store (PEM: certificates).");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_KEYSTORE_LOCATION =
      Setting.optionalText(
          RegistryTls.KEYSTORE_LOCATION,
          "Key store of the client certificate shown to the registry (mutual TLS).");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD =
      Setting.optionalText(RegistryTls.KEYSTORE_PASSWORD, "Password of the key store.");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_KEYSTORE_TYPE =
      storeType(
          RegistryTls.KEYSTORE_TYPE,
          "Type of the key store (PEM: the certificate chain and an unencrypted PKCS#8 key).");
  public static final Setting<String> SCHEMA_REGISTRY_SSL_KEY_PASSWORD =
      Setting.optionalText(
          RegistryTls.KEY_PASSWORD,
          "Password of the private key in the key store, when it differs from the store's.");
  public static final Setting<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER =
      Setting.flag(
          "schema.registry.auto.register",
          true,
          "Register a record's schema on first write; set to false where schemas are registered ahead by CI.");

  // HTTP
  /** {@code http.management.port} unset: health and metrics on the public port only. */
  public static final int NO_MANAGEMENT_PORT = -1;

  public static final Setting<Integer> HTTP_PORT =
      Setting.port(
          "http.port", 8080, "Port of the HTTP API and the Twilio webhooks (0 = any free port).");
  public static final Setting<Integer> HTTP_MANAGEMENT_PORT =
      Setting.integer(
          "http.management.port",
          NO_MANAGEMENT_PORT,
          NO_MANAGEMENT_PORT,
          65_535,
          "Port serving only `/health/live`, `/health/ready` and `/metrics` (every other path "
              + "404), on the host of `http.port`, with a connection cap of its own (32) so that no "
              + "flood of the public port can keep a probe out; bind it to an internal network "
              + "and point probes at it. -1: none, health and metrics only on `http.port` (which "
              + "serves them in any case); 0: any free port. Must differ from `http.port`: `optin run` and `--check` refuse the "
              + "same port.");
  public static final Setting<String> PUBLIC_BASE_URL =
      Setting.text(
          "public.base.url",
          "http://127.0.0.1:8080",
          "URL at which Twilio reaches this server; webhook signatures are checked against it.");
  public static final Setting<String> HTTP_ADVERTISED_URL =
      Setting.of(
          "http.advertised.url",
          ValueType.STRING,
          null,
          ProcessSettings::advertisedUrlProblem,
          "`http://host:port`",
          "URL at which the other instances of the deployment reach this one's HTTP port (Kafka "
              + "Streams' `application.server`): a query for a phone another instance owns is "
              + "forwarded there. Unset: `http://<host name>:<http.port>` (`optin dev`: "
              + "`http://127.0.0.1:<port>`).");
  public static final Setting<List<String>> API_TOKENS =
      Setting.list(
          "api.tokens",
          "Bearer tokens accepted on `/v1/*` (and `/internal/*`, which the instances call each other "
              + "on with the first token). Empty means no authentication, which only `optin dev` "
              + "allows.");
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
          "Open connections to the HTTP port beyond which new ones wait in the accept backlog. "
              + "The management port (`http.management.port`) is capped apart, so that a full "
              + "public port never holds its probes.");
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
  public static final Setting<Integer> STREAMS_ROCKSDB_MEMORY_MB =
      Setting.integer(
          "streams.rocksdb.memory.mb",
          128,
          16,
          65_536,
          "MiB of RocksDB block cache and write buffers (memtables) shared by every state store of "
              + "the process, half of it at most for write buffers: the off-heap memory of the "
              + "Streams apps beyond the JVM's. Reads beyond it go to the page cache or the disk.");
  public static final Setting<String> INSTANCE_ID =
      Setting.of(
          "instance.id",
          ValueType.STRING,
          null,
          value ->
              value.matches("[A-Za-z0-9._-]{1,100}")
                  ? null
                  : "must be 1 to 100 letters, digits, '.', '_' or '-'",
          "1 to 100 letters, digits, `.`, `_`, `-`",
          "Stable name of this process among the instances of a deployment, the same after a "
              + "restart and different from every other running instance: the Kafka static "
              + "membership id (`group.instance.id`) of its Streams apps, so that a restarted "
              + "process takes its partitions back at once instead of after `session.timeout.ms`. "
              + "Unset: the host name and a hash of `streams.state.dir` (two processes cannot share "
              + "a state directory).");

  /** The {@code schema.registry.*} settings that reach the registry client. */
  private static final List<Setting<String>> REGISTRY_CLIENT =
      List.of(
          SCHEMA_REGISTRY_URL,
          SCHEMA_REGISTRY_USER_INFO,
          SCHEMA_REGISTRY_BEARER_TOKEN,
          SCHEMA_REGISTRY_OAUTH_TOKEN_URL,
          SCHEMA_REGISTRY_OAUTH_CLIENT_ID,
          SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET,
          SCHEMA_REGISTRY_OAUTH_SCOPE,
          SCHEMA_REGISTRY_OAUTH_LOGICAL_CLUSTER,
          SCHEMA_REGISTRY_OAUTH_IDENTITY_POOL_ID,
          SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION,
          SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD,
          SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE,
          SCHEMA_REGISTRY_SSL_KEYSTORE_LOCATION,
          SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD,
          SCHEMA_REGISTRY_SSL_KEYSTORE_TYPE,
          SCHEMA_REGISTRY_SSL_KEY_PASSWORD);

  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.union(
          SettingsCatalogue.of(KAFKA_BOOTSTRAP_SERVERS),
          SettingsCatalogue.of(REGISTRY_CLIENT.toArray(Setting<?>[]::new)),
          SettingsCatalogue.of(
              SCHEMA_REGISTRY_AUTO_REGISTER,
              HTTP_PORT,
              HTTP_MANAGEMENT_PORT,
              PUBLIC_BASE_URL,
              HTTP_ADVERTISED_URL,
              API_TOKENS,
              HTTP_THREADS,
              HTTP_MAX_CONNECTIONS,
              HTTP_READ_TIMEOUT,
              HTTP_IDLE_TIMEOUT,
              STREAMS_STATE_DIR,
              STREAMS_ROCKSDB_MEMORY_MB,
              INSTANCE_ID));

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

  /**
   * {@code http.management.port}, empty when it is -1 (none).
   *
   * @throws SettingsException when it is {@code http.port} (other than 0, any free port): one port
   *     cannot be both
   */
  public static OptionalInt managementPort(Settings settings) {
    int management = settings.integer(HTTP_MANAGEMENT_PORT);
    if (management == NO_MANAGEMENT_PORT) {
      return OptionalInt.empty();
    }
    int port = settings.integer(HTTP_PORT);
    if (management != 0 && management == port) {
      throw new SettingsException(
          HTTP_MANAGEMENT_PORT.key()
              + "="
              + management
              + " from "
              + settings.origin(HTTP_MANAGEMENT_PORT)
              + " is also "
              + HTTP_PORT.key()
              + ": the management port must be another port (or -1 for none, 0 for any free "
              + "port); set "
              + HTTP_MANAGEMENT_PORT.environmentVariable()
              + "=<port>");
    }
    return OptionalInt.of(management);
  }

  /**
   * The registry client's settings: URL, one way to authenticate, TLS stores; checked, and the
   * stores read, without any request.
   *
   * @throws SettingsException naming the setting when one is malformed, two ways to authenticate
   *     are set, or a store cannot be read
   */
  public static SchemaRegistrySettings schemaRegistry(Settings settings) {
    Map<String, String> config = new TreeMap<>();
    for (Setting<String> setting : REGISTRY_CLIENT) {
      settings.optional(setting).ifPresent(value -> config.put(setting.key(), value));
    }
    try {
      return SchemaRegistrySettings.fromConfig(config);
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /** {@code streams.state.dir}, made absolute. */
  public static Path stateDir(Settings settings) {
    return Path.of(settings.string(STREAMS_STATE_DIR)).toAbsolutePath();
  }

  /**
   * The Kafka client settings ({@code kafka.*}, prefix removed) plus the state directory, the
   * static membership id ({@link #instanceId}) and the RocksDB memory budget, for a Kafka Streams
   * application; a {@code kafka.state.dir} wins over {@code streams.state.dir}, a {@code
   * kafka.group.instance.id} over {@code instance.id}. Kafka Streams suffixes the id with each
   * stream thread's index.
   */
  public static Map<String, String> streamsClients(Settings settings) {
    Map<String, String> clients = new TreeMap<>(settings.kafkaClientProperties());
    clients.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir(settings).toString());
    clients.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(settings));
    clients.putIfAbsent(
        BoundedRocksDbMemory.MEMORY_BYTES_CONFIG,
        Long.toString((long) settings.integer(STREAMS_ROCKSDB_MEMORY_MB) << 20));
    return clients;
  }

  /**
   * The Kafka client settings for a consumer group member of its own, such as the SMS sender's
   * consumer: {@code kafka.*} plus {@code group.instance.id} = {@code memberId} (a {@code
   * kafka.group.instance.id} wins), so that a restarted member takes its partitions back at once. A
   * consumer of these settings without a group ignores the id.
   *
   * @param memberId stable across restarts of this member, unique among the group's live members
   */
  public static Map<String, String> staticMemberClients(Settings settings, String memberId) {
    Map<String, String> clients = new TreeMap<>(settings.kafkaClientProperties());
    clients.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId);
    return clients;
  }

  /**
   * {@code instance.id}, or else the host name and a short hash of the absolute state directory:
   * stable across restarts of one installation, distinct for two processes on one host (Kafka
   * Streams locks its state directory, so they cannot share one).
   */
  public static String instanceId(Settings settings) {
    return settings
        .optional(INSTANCE_ID)
        .orElseGet(
            () ->
                hostName()
                    + "-"
                    + Integer.toHexString(stateDir(settings).normalize().toString().hashCode()));
  }

  /**
   * {@code http.advertised.url}, or else {@code http://<host name>:<port>}: the address the other
   * instances reach this one at.
   *
   * @param port the port actually bound (the free one chosen for {@code http.port} 0)
   */
  public static URI advertisedUrl(Settings settings, int port) {
    return settings
        .optional(HTTP_ADVERTISED_URL)
        .map(URI::create)
        .orElseGet(() -> URI.create("http://" + hostName() + ":" + port));
  }

  private static Setting<String> storeType(String key, String doc) {
    return Setting.of(
        key,
        ValueType.STRING,
        RegistryTls.DEFAULT_TYPE,
        value ->
            List.of("PKCS12", "JKS", "PEM").contains(value.toUpperCase(java.util.Locale.ROOT))
                ? null
                : "must be PKCS12, JKS or PEM",
        "PKCS12, JKS, PEM",
        doc);
  }

  private static String advertisedUrlProblem(String value) {
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      return "must be a URL such as http://replies-1.internal:8080";
    }
    boolean bare = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/");
    return "http".equals(url.getScheme())
            && url.getHost() != null
            && url.getPort() > 0
            && bare
            && url.getQuery() == null
            && url.getUserInfo() == null
        ? null
        : "must be http://host:port, with no path (the instances call each other over plain "
            + "HTTP on their own network)";
  }

  /** Without a name lookup where the kernel or the container runtime tells it: no DNS wait. */
  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    try {
      if ((name == null || name.isBlank()) && Files.isReadable(kernel)) {
        name = Files.readString(kernel).trim();
      }
      if (name == null || name.isBlank()) {
        name = InetAddress.getLocalHost().getHostName();
      }
    } catch (IOException e) {
      name = "optin";
    }
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > 60 ? safe.substring(0, 60) : safe;
  }
}
