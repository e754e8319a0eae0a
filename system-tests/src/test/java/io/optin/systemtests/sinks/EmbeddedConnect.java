package io.optin.systemtests.sinks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect worker in standalone mode (connect-runtime's {@link Worker} and {@link
 * StandaloneHerder}, set up as {@code connect-standalone} does) inside the test JVM, without its
 * REST server: connectors are put through the herder, as the REST API would.
 */
final class EmbeddedConnect implements AutoCloseable {

  private final StandaloneHerder herder;

  private EmbeddedConnect(StandaloneHerder herder) {
    this.herder = herder;
  }

  /** A started worker against {@code bootstrapServers}, its source offsets in {@code dir}. */
  static EmbeddedConnect start(String bootstrapServers, Path dir) {
    Map<String, String> props = new HashMap<>();
    props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(WorkerConfig.KEY_CONVERTER_CLASS_CONFIG, StringConverter.class.getName());
    props.put(WorkerConfig.VALUE_CONVERTER_CLASS_CONFIG, JsonConverter.class.getName());
    props.put(
        StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG,
        dir.resolve("connect.offsets").toString());
    props.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "1000");
    Plugins plugins = new Plugins(props);
    StandaloneConfig config = new StandaloneConfig(props);
    ConnectorClientConfigOverridePolicy policy =
        plugins.newPlugin(
            config.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG),
            config,
            ConnectorClientConfigOverridePolicy.class);
    FileOffsetBackingStore offsets =
        new FileOffsetBackingStore(
            plugins.newInternalConverter(
                true, JsonConverter.class.getName(), Map.of("schemas.enable", "false")));
    offsets.configure(config);
    Worker worker = new Worker("optin-sink-it", Time.SYSTEM, plugins, config, offsets, policy);
    StandaloneHerder herder = new StandaloneHerder(worker, config.kafkaClusterId(), policy);
    herder.start();
    return new EmbeddedConnect(herder);
  }

  /** Creates (or replaces) a connector, as {@code PUT /connectors/<name>/config} does. */
  ConnectorInfo put(String name, Map<String, String> config) throws Exception {
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    FutureCallback<Herder.Created<ConnectorInfo>> done = new FutureCallback<>();
    herder.putConnectorConfig(name, named, true, done);
    return done.get(60, TimeUnit.SECONDS).result();
  }

  /** The connector's and its tasks' states, as {@code GET /connectors/<name>/status} shows. */
  ConnectorStateInfo status(String name) {
    return herder.connectorStatus(name);
  }

  @Override
  public void close() {
    herder.stop();
  }
}
