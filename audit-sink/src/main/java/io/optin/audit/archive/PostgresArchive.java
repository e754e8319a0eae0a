package io.optin.audit.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger in PostgreSQL: one {@code consent_ledger} row per record, inserted in batches in the
 * same transaction as the new {@code archive_positions}, so the rows and the position are stored
 * together or not at all.
 *
 * <p>Concurrent archivers on one database serialise on a lock of {@code archive_positions} and skip
 * what another already stored. The database refuses UPDATE, DELETE and TRUNCATE of the ledger rows
 * (see {@link LedgerTables}).
 */
public final class PostgresArchive implements ArchiveSink {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresArchive.class);

  private final JdbcTarget target;
  private final Set<Integer> storedSchemas = new HashSet<>();
  private Connection connection;

  private PostgresArchive(JdbcTarget target, Connection connection) {
    this.target = target;
    this.connection = connection;
  }

  /**
   * Connects, creates whatever tables and triggers are missing, and warns when the triggers are not
   * in force.
   */
  public static PostgresArchive open(JdbcTarget target) {
    try {
      Connection connection = target.connect();
      try {
        LedgerTables.migrate(connection);
        String problem = LedgerTables.triggerProblem(connection);
        if (problem != null) {
          LOG.error(
              "{}: {}; the database no longer refuses edits of archived records",
              target.describe(),
              problem);
        }
        connection.setAutoCommit(false);
        return new PostgresArchive(target, connection);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new ArchiveStoreException("cannot open the PostgreSQL archive " + target.describe(), e);
    }
  }

  @Override
  public synchronized Map<Integer, Long> positions() {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT partition, next_offset FROM archive_positions")) {
      Map<Integer, Long> positions = new TreeMap<>();
      while (rows.next()) {
        positions.put(rows.getInt(1), rows.getLong(2));
      }
      connection.commit();
      return positions;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new ArchiveStoreException("cannot read archive_positions from " + target.describe(), e);
    }
  }

  @Override
  public synchronized void append(List<ArchivedRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      try (Statement lock = connection.createStatement()) {
        // Serialises archivers sharing this database: each sees the positions the previous one
        // committed.
        lock.execute("LOCK TABLE archive_positions IN SHARE ROW EXCLUSIVE MODE");
      }
      Map<Integer, Long> next = new HashMap<>(positionsInTransaction());
      int inserted = 0;
      try (PreparedStatement insert = connection.prepareStatement(LedgerRow.INSERT)) {
        for (ArchivedRecord record : batch) {
          Long position = next.get(record.partition());
          if (position != null && record.offset() < position) {
            continue;
          }
          keepSchema(record);
          LedgerRow.bind(insert, record);
          insert.addBatch();
          next.put(record.partition(), record.offset() + 1);
          inserted++;
        }
        if (inserted > 0) {
          insert.executeBatch();
        }
      }
      if (inserted > 0) {
        storePositions(next);
      }
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      storedSchemas.clear();
      throw new ArchiveStoreException(
          "cannot archive "
              + batch.size()
              + " record(s) from "
              + batch.get(0).position()
              + " into "
              + target.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String describe() {
    return "PostgreSQL " + target.describe();
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing the connection to {} failed", target.describe(), e);
    }
  }

  private Map<Integer, Long> positionsInTransaction() throws SQLException {
    Map<Integer, Long> positions = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT partition, next_offset FROM archive_positions")) {
      while (rows.next()) {
        positions.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return positions;
  }

  private void storePositions(Map<Integer, Long> next) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            """
        INSERT INTO archive_positions (partition, next_offset, updated_at) VALUES (?, ?, now())
        ON CONFLICT (partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
        WHERE archive_positions.next_offset < EXCLUDED.next_offset""")) {
      for (Map.Entry<Integer, Long> position : next.entrySet()) {
        upsert.setInt(1, position.getKey());
        upsert.setLong(2, position.getValue());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /**
   * Stores the writer schema of a value the first time its id is seen, refusing another schema
   * under that id.
   */
  private void keepSchema(ArchivedRecord record) throws SQLException {
    int id = record.schemaId();
    if (storedSchemas.contains(id)) {
      return;
    }
    String schema = record.writerSchema().toString();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO archive_schemas (schema_id, schema_json) VALUES (?, ?) ON CONFLICT (schema_id) DO NOTHING")) {
      insert.setInt(1, id);
      insert.setString(2, schema);
      insert.executeUpdate();
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT schema_json FROM archive_schemas WHERE schema_id = ?")) {
      select.setInt(1, id);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        if (!new org.apache.avro.Schema.Parser()
            .parse(rows.getString(1))
            .equals(record.writerSchema())) {
          throw new SQLException(
              "archive_schemas keeps another schema under id "
                  + id
                  + ": was the Schema Registry replaced?");
        }
      }
    }
    storedSchemas.add(id);
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback on {} failed", target.describe(), e);
    }
  }
}
