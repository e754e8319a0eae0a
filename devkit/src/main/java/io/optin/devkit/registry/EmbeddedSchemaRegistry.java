package io.optin.devkit.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpLimits;
import io.optin.kit.http.HttpPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Avro schema registry served over HTTP, whose state lives in a compacted
 * Kafka topic.
 *
 * <p>On start it reads the whole topic before it serves, so ids and versions are the same after a
 * restart. Every change is written to the topic (and acknowledged) before it is visible. Single
 * writer: run exactly one instance per topic; two instances writing the same topic could hand out
 * the same id twice.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

  /** Schemas and their requests are small; 4 threads, bodies up to 1 MiB (Confluent's shape). */
  private static final HttpLimits LIMITS =
      new HttpLimits(
          4,
          256,
          HttpLimits.DEFAULT_READ_TIMEOUT,
          HttpLimits.DEFAULT_IDLE_TIMEOUT,
          RegistryHttpHandler.MAX_BODY_BYTES);

  private final String bootstrapServers;
  private final String host;
  private final int requestedPort;
  private final String topic;
  private final Map<String, Object> clientProperties;

  private SchemaLog log;
  private HttpPort server;

  private EmbeddedSchemaRegistry(Builder builder) {
    this.bootstrapServers = builder.bootstrapServers;
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.topic = builder.topic;
    this.clientProperties = Map.copyOf(builder.clientProperties);
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Prepares the topic, replays it, then starts serving HTTP. */
  public synchronized EmbeddedSchemaRegistry start() {
    if (server != null) {
      throw new IllegalStateException("The schema registry is already serving " + url());
    }
    // Strict like the API: no content after the JSON value, no key given twice.
    ObjectMapper json = HttpExchanges.JSON;
    SchemaLog opened =
        new SchemaLog(bootstrapServers, topic, clientProperties, new RegistryRecordCodec(json));
    try {
      opened.ensureTopic();
      RegistryState state = new RegistryState();
      int facts = opened.replay(state::apply);
      RegistryRoutes routes = new RegistryRoutes(new SchemaCatalog(opened, state), json);
      server =
          HttpPort.open(
              "schema-registry-http",
              host,
              requestedPort,
              LIMITS,
              HttpPort.prefixes(Map.of("/", new RegistryHttpHandler(routes, json))),
              new HttpPort.Dialect(
                  (status, reason, field) -> RegistryHttpHandler.refusedByPort(status, reason),
                  RegistryHttpHandler.CONTENT_TYPE,
                  true));
      log = opened;
      LOG.info(
          "Schema registry serving {} from topic {} ({} facts, {} schemas)",
          url(),
          topic,
          facts,
          state.schemaCount());
      return this;
    } catch (RuntimeException e) {
      opened.close();
      stopHttp();
      throw e;
    }
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
  public synchronized String url() {
    if (server == null) {
      throw new IllegalStateException("The schema registry is not running");
    }
    String urlHost = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    return "http://" + urlHost + ":" + server.port();
  }

  public String topic() {
    return topic;
  }

  @Override
  public synchronized void close() {
    stopHttp();
    if (log != null) {
      log.close();
      log = null;
      LOG.info("Schema registry on topic {} stopped", topic);
    }
  }

  private void stopHttp() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Options of the registry; defaults: 127.0.0.1:8081, topic {@code _schemas}. */
  public static final class Builder {
    private final String bootstrapServers;
    private String host = "127.0.0.1";
    private int port = 8081;
    private String topic = "_schemas";
    private final Map<String, Object> clientProperties = new LinkedHashMap<>();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The HTTP port; 0 picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * A Kafka client setting (security, timeouts) for the registry's admin, producer and consumer.
     */
    public Builder clientProperty(String name, Object value) {
      clientProperties.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public EmbeddedSchemaRegistry build() {
      return new EmbeddedSchemaRegistry(this);
    }
  }
}
