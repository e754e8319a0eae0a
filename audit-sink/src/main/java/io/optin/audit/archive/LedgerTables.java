package io.optin.audit.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The archive's tables in PostgreSQL, created when missing: {@code consent_ledger} (one row per
 * ledger record, append-only: a trigger makes the database itself refuse UPDATE, DELETE and
 * TRUNCATE), {@code archive_positions} (the next offset per partition, written in the same
 * transaction as the rows) and {@code archive_schemas} (the writer schemas of the values,
 * insert-only as well). Needs PostgreSQL 11 or newer.
 */
final class LedgerTables {

  static final String LEDGER = "consent_ledger";
  static final String POSITIONS = "archive_positions";
  static final String SCHEMAS = "archive_schemas";
  static final String REFUSE_FUNCTION = "optin_refuse_change";
  static final String ROW_TRIGGER = "consent_ledger_append_only";
  static final String TRUNCATE_TRIGGER = "consent_ledger_no_truncate";

  /** Any fixed number: serialises migrations of archivers starting together. */
  private static final long MIGRATION_LOCK = 0x6f7074696e4c6564L;

  private static final List<String> TABLES =
      List.of(
          """
      CREATE TABLE IF NOT EXISTS consent_ledger (
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        record_key text,
        subject_key text,
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        record_timestamp timestamptz NOT NULL,
        sequence bigint,
        previous_hash text,
        partition_sequence bigint,
        previous_partition_hash text,
        hash text,
        schema_id integer NOT NULL,
        record_json jsonb NOT NULL,
        value_bytes bytea NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partition, "offset"))""",
          "CREATE INDEX IF NOT EXISTS consent_ledger_subject ON consent_ledger (subject_key, sequence)",
          """
      CREATE TABLE IF NOT EXISTS archive_positions (
        partition integer PRIMARY KEY,
        next_offset bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())""",
          """
      CREATE TABLE IF NOT EXISTS archive_schemas (
        schema_id integer PRIMARY KEY,
        schema_json text NOT NULL)""");

  private static final String REFUSE =
      """
      CREATE OR REPLACE FUNCTION optin_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING HINT = 'The consent ledger archive never changes a stored record (docs/ledger-archive.md).';
      END
      $$""";

  private LedgerTables() {}

  /**
   * Creates whatever is missing; an archive whose owner already created everything needs no DDL
   * right.
   */
  static void migrate(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      if (!complete(connection)) {
        for (String table : TABLES) {
          statement.execute(table);
        }
        if (!exists(connection, "SELECT 1 FROM pg_proc WHERE proname = ?", REFUSE_FUNCTION)) {
          statement.execute(REFUSE);
        }
        createTrigger(connection, statement, LEDGER, ROW_TRIGGER, "BEFORE UPDATE OR DELETE", "ROW");
        createTrigger(
            connection, statement, LEDGER, TRUNCATE_TRIGGER, "BEFORE TRUNCATE", "STATEMENT");
        createTrigger(
            connection,
            statement,
            SCHEMAS,
            "archive_schemas_insert_only",
            "BEFORE UPDATE OR DELETE",
            "ROW");
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Whether the ledger's triggers are missing or disabled, in words; {@code null} when they are in
   * force.
   */
  static String triggerProblem(Connection connection) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname IN (?, ?)")) {
      query.setString(1, LEDGER);
      query.setString(2, ROW_TRIGGER);
      query.setString(3, TRUNCATE_TRIGGER);
      int enabled = 0;
      StringBuilder problems = new StringBuilder();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          // O: fires in ordinary sessions, A: always; D (disabled) and R (replica only) let edits
          // through.
          if ("O".equals(rows.getString(2)) || "A".equals(rows.getString(2))) {
            enabled++;
          } else {
            problems
                .append(rows.getString(1))
                .append(" is not in force (tgenabled ")
                .append(rows.getString(2))
                .append("); ");
          }
        }
      }
      return enabled == 2
          ? null
          : problems
              .append("the append-only triggers of ")
              .append(LEDGER)
              .append(" are not all in force")
              .toString();
    }
  }

  private static boolean complete(Connection connection) throws SQLException {
    for (String table : List.of(LEDGER, POSITIONS, SCHEMAS)) {
      if (!exists(connection, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", table)) {
        return false;
      }
    }
    return exists(connection, "SELECT 1 FROM pg_proc WHERE proname = ?", REFUSE_FUNCTION)
        && triggerExists(connection, LEDGER, ROW_TRIGGER)
        && triggerExists(connection, LEDGER, TRUNCATE_TRIGGER)
        && triggerExists(connection, SCHEMAS, "archive_schemas_insert_only");
  }

  private static void createTrigger(
      Connection connection,
      Statement statement,
      String table,
      String trigger,
      String when,
      String level)
      throws SQLException {
    if (!triggerExists(connection, table, trigger)) {
      statement.execute(
          "CREATE TRIGGER "
              + trigger
              + " "
              + when
              + " ON "
              + table
              + " FOR EACH "
              + level
              + " EXECUTE FUNCTION "
              + REFUSE_FUNCTION
              + "()");
      // ALWAYS: also in force for sessions with session_replication_role = replica.
      statement.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + trigger);
    }
  }

  private static boolean triggerExists(Connection connection, String table, String trigger)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?")) {
      query.setString(1, table);
      query.setString(2, trigger);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static boolean exists(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
