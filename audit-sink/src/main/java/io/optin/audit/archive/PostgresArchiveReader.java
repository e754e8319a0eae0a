package io.optin.audit.archive;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.avro.Schema;

/**
 * Reads {@code consent_ledger} back in partition then offset order, through a server-side cursor,
 * checking that every row's JSON and columns agree with its value bytes and that no row lies beyond
 * its partition's stored position (a row the archiver never wrote).
 */
public final class PostgresArchiveReader implements ArchiveReader {

  private static final int FETCH_SIZE = 500;

  private final JdbcTarget target;

  public PostgresArchiveReader(JdbcTarget target) {
    this.target = target;
  }

  @Override
  public Stream<ArchivedRecord> records() {
    try {
      Connection connection = target.connect();
      try {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        // One snapshot for the positions, the schemas and the rows.
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        Map<Integer, Long> positions = positions(connection);
        Map<Integer, Schema> schemas = schemas(connection);
        Statement statement = connection.createStatement();
        statement.setFetchSize(FETCH_SIZE);
        ResultSet rows = statement.executeQuery(LedgerRow.SELECT);
        Iterator<ArchivedRecord> iterator = new RowIterator(rows, schemas, positions);
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
            .onClose(() -> closeQuietly(connection));
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw new ArchiveStoreException("cannot read the PostgreSQL archive " + target.describe(), e);
    }
  }

  @Override
  public String describe() {
    return "PostgreSQL " + target.describe();
  }

  private static Map<Integer, Long> positions(Connection connection) throws SQLException {
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

  private static Map<Integer, Schema> schemas(Connection connection) throws SQLException {
    Map<Integer, Schema> schemas = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT schema_id, schema_json FROM archive_schemas")) {
      while (rows.next()) {
        try {
          schemas.put(rows.getInt(1), new Schema.Parser().parse(rows.getString(2)));
        } catch (RuntimeException e) {
          throw new ArchiveIntegrityException(
              "archive_schemas row " + rows.getInt(1), "not an Avro schema: " + e.getMessage(), e);
        }
      }
    }
    return schemas;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.rollback();
      connection.close();
    } catch (SQLException e) {
      // Read-only: nothing to lose.
    }
  }

  /** Rows to records, one fetch of {@value #FETCH_SIZE} rows at a time. */
  private static final class RowIterator implements Iterator<ArchivedRecord> {

    private final ResultSet rows;
    private final Map<Integer, Schema> schemas;
    private final Map<Integer, Long> positions;
    private ArchivedRecord next;
    private boolean done;

    RowIterator(ResultSet rows, Map<Integer, Schema> schemas, Map<Integer, Long> positions) {
      this.rows = rows;
      this.schemas = schemas;
      this.positions = positions;
    }

    @Override
    public boolean hasNext() {
      if (next != null || done) {
        return next != null;
      }
      try {
        if (!rows.next()) {
          done = true;
          return false;
        }
        ArchivedRecord record = LedgerRow.read(rows, schemas::get);
        Long position = positions.get(record.partition());
        if (position == null || record.offset() >= position) {
          throw ArchiveIntegrityException.at(
              record,
              "consent_ledger row (" + record.partition() + ", " + record.offset() + ")",
              "lies beyond the archive's position "
                  + position
                  + " for its partition: the archiver never wrote it");
        }
        next = record;
        return true;
      } catch (SQLException e) {
        throw new ArchiveStoreException("cannot read consent_ledger: " + e.getMessage(), e);
      }
    }

    @Override
    public ArchivedRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ArchivedRecord record = next;
      next = null;
      return record;
    }
  }
}
