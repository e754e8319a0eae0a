package io.optin.systemtests.sinks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Writes each record of a batch in one transaction: a value upserts the row of the record's key
 * (its struct's top-level primitive fields as columns), a tombstone deletes it.
 */
public final class UpsertJdbcSinkTask extends SinkTask {

  private Connection connection;
  private String tableFormat;
  private String keyColumn;
  private boolean deleteEnabled;
  private boolean autoCreate;
  private final Set<String> created = new HashSet<>();

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig config = new AbstractConfig(UpsertJdbcSinkConnector.CONFIG, props);
    tableFormat = config.getString(UpsertJdbcSinkConnector.TABLE);
    keyColumn = config.getString(UpsertJdbcSinkConnector.PK_FIELDS);
    deleteEnabled = config.getBoolean(UpsertJdbcSinkConnector.DELETE_ENABLED);
    autoCreate = config.getBoolean(UpsertJdbcSinkConnector.AUTO_CREATE);
    try {
      connection = DriverManager.getConnection(config.getString(UpsertJdbcSinkConnector.URL));
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new ConnectException("cannot connect to the database", e);
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    try {
      for (SinkRecord record : records) {
        if (!(record.key() instanceof String key)) {
          throw new ConnectException("pk.mode=record_key needs string keys: " + record);
        }
        String table = tableFormat.replace("${topic}", record.topic());
        if (record.value() == null) {
          if (deleteEnabled) {
            delete(table, key);
          }
        } else {
          upsert(table, key, (Struct) record.value());
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new ConnectException("cannot write a batch", e);
    }
  }

  private void delete(String table, String key) throws SQLException {
    if (!exists(table)) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM " + quote(table) + " WHERE " + quote(keyColumn) + " = ?")) {
      delete.setString(1, key);
      delete.executeUpdate();
    }
  }

  private void upsert(String table, String key, Struct value) throws SQLException {
    List<Field> fields =
        value.schema().fields().stream().filter(f -> f.schema().type().isPrimitive()).toList();
    if (autoCreate && created.add(table)) {
      create(table, fields);
    }
    List<String> columns = new ArrayList<>();
    columns.add(quote(keyColumn));
    fields.forEach(f -> columns.add(quote(f.name())));
    String sql =
        "INSERT INTO "
            + quote(table)
            + " ("
            + String.join(", ", columns)
            + ") VALUES ("
            + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
            + ") ON CONFLICT ("
            + quote(keyColumn)
            + ") DO UPDATE SET "
            + columns.stream()
                .skip(1)
                .map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
    try (PreparedStatement upsert = connection.prepareStatement(sql)) {
      upsert.setString(1, key);
      for (int i = 0; i < fields.size(); i++) {
        Object column = value.get(fields.get(i));
        upsert.setObject(
            i + 2, column instanceof Date date ? new java.sql.Timestamp(date.getTime()) : column);
      }
      upsert.executeUpdate();
    }
  }

  private void create(String table, List<Field> fields) throws SQLException {
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(quote(table))
            .append(" (")
            .append(quote(keyColumn))
            .append(" TEXT PRIMARY KEY");
    for (Field field : fields) {
      ddl.append(", ").append(quote(field.name())).append(' ').append(sqlType(field.schema()));
      if (!field.schema().isOptional()) {
        ddl.append(" NOT NULL");
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(ddl.append(')').toString());
    }
    connection.commit();
  }

  private boolean exists(String table) throws SQLException {
    try (var tables = connection.getMetaData().getTables(null, null, table, null)) {
      return tables.next();
    }
  }

  private static String sqlType(Schema schema) {
    if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
      return "TIMESTAMP";
    }
    return switch (schema.type()) {
      case STRING -> "TEXT";
      case INT8, INT16, INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "REAL";
      case FLOAT64 -> "DOUBLE PRECISION";
      case BOOLEAN -> "BOOLEAN";
      case BYTES -> "BYTEA";
      default -> throw new ConnectException("no column type for " + schema.type());
    };
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public void stop() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      throw new ConnectException(e);
    }
  }

  @Override
  public String version() {
    return "1";
  }
}
