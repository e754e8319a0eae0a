package io.optin.systemtests.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A JDBC sink connector with the subset of Confluent's JDBC sink settings that docs/integrations.md
 * uses ({@code connection.url}, {@code table.name.format}, {@code insert.mode=upsert}, {@code
 * pk.mode=record_key}, {@code pk.fields}, {@code delete.enabled}, {@code auto.create}), for
 * PostgreSQL: neither Confluent's nor Debezium's JDBC sink is on Maven Central, so the sink test
 * brings this one to run in a real Connect worker.
 */
public final class UpsertJdbcSinkConnector extends SinkConnector {

  static final String URL = "connection.url";
  static final String TABLE = "table.name.format";
  static final String INSERT_MODE = "insert.mode";
  static final String PK_MODE = "pk.mode";
  static final String PK_FIELDS = "pk.fields";
  static final String DELETE_ENABLED = "delete.enabled";
  static final String AUTO_CREATE = "auto.create";

  static final ConfigDef CONFIG =
      new ConfigDef()
          .define(URL, Type.STRING, Importance.HIGH, "JDBC URL of the database, with credentials")
          .define(TABLE, Type.STRING, "${topic}", Importance.MEDIUM, "Table; ${topic} is replaced")
          .define(
              INSERT_MODE,
              Type.STRING,
              "upsert",
              ValidString.in("upsert"),
              Importance.HIGH,
              "Only upsert: insert, or update the row of the key")
          .define(
              PK_MODE,
              Type.STRING,
              "record_key",
              ValidString.in("record_key"),
              Importance.HIGH,
              "Only record_key: the row's key is the record's (string) key")
          .define(PK_FIELDS, Type.STRING, Importance.HIGH, "The key column's name")
          .define(DELETE_ENABLED, Type.BOOLEAN, false, Importance.HIGH, "Delete on a tombstone")
          .define(
              AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM, "Create the table if absent");

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    CONFIG.parse(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return UpsertJdbcSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CONFIG;
  }

  @Override
  public String version() {
    return "1";
  }
}
