package io.optin.audit.archive;

import static io.optin.audit.archive.EmbeddedDatabase.execute;
import static io.optin.audit.archive.EmbeddedDatabase.queryString;
import static io.optin.audit.archive.TestLedger.assertBrokenAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.audit.archive.ArchiveVerification.ArchiveVerdict;
import io.optin.audit.ledger.ChainBreak;
import io.optin.audit.ledger.LedgerHashing;
import io.optin.audit.ledger.VerificationReport;
import io.optin.avro.ConsentAuditRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresArchiveIT {

  private static EmbeddedDatabase postgres;

  private final TestLedger ledger = TestLedger.of(2, 3);
  private List<ArchivedRecord> partition1;
  private JdbcTarget db;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedDatabase.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void newDatabase() {
    db = postgres.newDatabase();
    partition1 = ledger.inPartition(1);
  }

  @Test
  void shouldStoreRowsAndPositionsAndReadThemBackInOrder() throws SQLException {
    // Given the ledger archived in two batches
    int half = ledger.records.size() / 2;
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(ledger.records.subList(0, half));
      archive.append(ledger.records.subList(half, ledger.records.size()));

      // Then the positions are right after each partition's last record
      assertThat(archive.positions()).isEqualTo(Map.of(0, 38L + 1, 1, 38L + 1));
    }

    // And the rows read back as the ledger, partition by partition, with the chain columns copied
    // out
    assertThat(readAll(db))
        .containsExactlyElementsOf(
            Stream.concat(ledger.inPartition(0).stream(), partition1.stream()).toList());
    assertThat(
            queryString(
                db,
                "SELECT record_json->>'detail' FROM consent_ledger WHERE partition = 1 AND \"offset\" = 2"))
        .isEqualTo(partition1.get(1).record().getDetail());
    assertThat(
            queryString(
                db, "SELECT hash FROM consent_ledger WHERE partition = 1 AND \"offset\" = 2"))
        .isEqualTo(partition1.get(1).record().getHash());
  }

  @Test
  void shouldStoreNoRowAndNoPositionOfABatchThatFails() throws SQLException {
    // Given 4 records archived
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(partition1.subList(0, 4));

      // When a batch fails on its last row (an eventId already in the ledger, at a new offset)
      ArchivedRecord duplicate = TestLedger.at(partition1.get(0), 1_000);
      List<ArchivedRecord> failing = new ArrayList<>(partition1.subList(4, 8));
      failing.add(duplicate);
      assertThatThrownBy(() -> archive.append(failing))
          .isInstanceOf(ArchiveStoreException.class)
          .hasMessageContaining("consent_ledger_event_id_key");

      // Then neither its first rows nor the position moved: they live or die together
      assertThat(archive.positions()).isEqualTo(Map.of(1, partition1.get(3).offset() + 1));
      assertThat(queryString(db, "SELECT count(*) FROM consent_ledger")).isEqualTo("4");

      // And the archive goes on from there
      archive.append(partition1.subList(4, 8));
    }
    assertThat(readAll(db)).containsExactlyElementsOf(partition1.subList(0, 8));
  }

  @Test
  void shouldSkipRecordsAlreadyStoredWhenABatchComesAgain() {
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(partition1.subList(0, 6));
      archive.append(partition1.subList(2, 10));
    }
    assertThat(readAll(db)).containsExactlyElementsOf(partition1.subList(0, 10));
  }

  @Test
  void shouldResumeFromTheStoredPositionsAfterReopening() {
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(partition1.subList(0, 3));
    }
    try (PostgresArchive reopened = PostgresArchive.open(db)) {
      assertThat(reopened.positions()).isEqualTo(Map.of(1, partition1.get(2).offset() + 1));
    }
  }

  @Test
  void shouldMakeTheDatabaseRefuseUpdateDeleteAndTruncateOfLedgerRows() {
    // Given an archive (the connection is the superuser's: privileges do not stop it, the trigger
    // does)
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(partition1.subList(0, 3));
    }

    // Then every edit is refused by the database with the trigger's message
    assertRefused(
        "UPDATE consent_ledger SET event_type = 'CONFIRMED' WHERE \"offset\" = 2", "UPDATE");
    assertRefused("DELETE FROM consent_ledger WHERE \"offset\" = 2", "DELETE");
    assertRefused("TRUNCATE consent_ledger", "TRUNCATE");
    assertRefused(
        "UPDATE archive_schemas SET schema_json = '{}'", "archive_schemas is append-only: UPDATE");
    // Replication mode skips ordinary triggers; these are ENABLE ALWAYS
    assertRefused("SET session_replication_role = replica; DELETE FROM consent_ledger", "DELETE");
    assertThat(readAll(db)).hasSize(3);
  }

  @Test
  void shouldLetTheApplicationRoleOnlyInsertAndReadAsDocumented() throws SQLException {
    // Given the tables created by their owner, and the application role granted as
    // docs/ledger-archive.md says
    PostgresArchive.open(db).close();
    execute(
        db,
        "CREATE ROLE optin_archiver LOGIN PASSWORD 'test-archiver-password'",
        "GRANT CONNECT ON DATABASE " + databaseName() + " TO optin_archiver",
        "GRANT USAGE ON SCHEMA public TO optin_archiver",
        "REVOKE ALL ON consent_ledger, archive_positions, archive_schemas FROM optin_archiver",
        "GRANT SELECT, INSERT ON consent_ledger, archive_schemas TO optin_archiver",
        "GRANT SELECT, INSERT, UPDATE ON archive_positions TO optin_archiver");
    JdbcTarget app = postgres.as(db, "optin_archiver", "test-archiver-password");

    // When the archiver runs as that role, then it archives
    try (PostgresArchive archive = PostgresArchive.open(app)) {
      archive.append(partition1.subList(0, 5));
    }
    assertThat(readAll(app)).hasSize(5);

    // And the role may neither change nor remove a row, nor switch the trigger off
    assertRefused(app, "UPDATE consent_ledger SET event_type = 'CONFIRMED'", "permission denied");
    assertRefused(app, "DELETE FROM consent_ledger", "permission denied");
    assertRefused(
        app,
        "ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_append_only",
        "must be owner");
    execute(db, "DROP OWNED BY optin_archiver", "DROP ROLE optin_archiver");
  }

  @Test
  void shouldPassOnTheUntouchedArchive() {
    archiveAll();

    ArchiveVerdict verdict = verify();

    assertThat(verdict.passed()).as(verdict.describe()).isTrue();
    assertThat(verdict.ledger()).isEqualTo(new VerificationReport(40, 6, 2, 12));
    assertThat(verdict.describe())
        .startsWith("PostgreSQL jdbc:postgresql://")
        .contains("ledger intact: 40 records");
  }

  @Test
  void shouldNameTheRecordWhoseContentHadOneByteChangedByADatabaseAdministrator()
      throws SQLException {
    // Given a DBA who switches the trigger off and rewrites one record consistently (value bytes,
    // JSON, columns)
    archiveAll();
    ArchivedRecord original = partition1.get(5);
    ArchivedRecord tampered =
        ledger.withRecord(
            original,
            ConsentAuditRecord.newBuilder(original.record())
                .setDetail(original.record().getDetail().replace("step", "stop"))
                .build());
    asAttacker(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE consent_ledger SET value_bytes = ?,"
                      + " record_json = CAST(? AS jsonb) WHERE partition = 1 AND \"offset\" = ?")) {
            update.setBytes(1, tampered.value());
            update.setString(2, RecordJson.text(tampered.record()));
            update.setLong(3, original.offset());
            assertThat(update.executeUpdate()).isEqualTo(1);
          }
        });

    assertBrokenAt(verify(), original, "hash does not match the record's content");
  }

  @Test
  void shouldNameTheRecordWhoseValueBytesWereFlipped() throws SQLException {
    archiveAll();
    ArchivedRecord original = partition1.get(9);
    asAttacker(
        connection ->
            connection
                .createStatement()
                .executeUpdate(
                    "UPDATE consent_ledger SET value_bytes ="
                        + " set_byte(value_bytes, length(value_bytes) - 3, get_byte(value_bytes, length(value_bytes) - 3) # 1)"
                        + " WHERE partition = 1 AND \"offset\" = "
                        + original.offset()));

    assertBrokenAt(verify(), original, "record_json does not match value_bytes");
  }

  @Test
  void shouldNameTheRecordWhoseQueryColumnWasEdited() throws SQLException {
    archiveAll();
    ArchivedRecord original = partition1.get(4);
    asAttacker(
        connection ->
            connection
                .createStatement()
                .executeUpdate(
                    "UPDATE consent_ledger SET event_type ="
                        + " 'CONFIRMED' WHERE partition = 1 AND \"offset\" = "
                        + original.offset()));

    assertBrokenAt(verify(), original, "column event_type holds CONFIRMED");
  }

  @Test
  void shouldNameTheRecordAfterADeletedOne() throws SQLException {
    archiveAll();
    asAttacker(
        connection ->
            connection
                .createStatement()
                .executeUpdate(
                    "DELETE FROM consent_ledger WHERE partition = 1 AND \"offset\" = "
                        + partition1.get(6).offset()));

    assertBrokenAt(verify(), partition1.get(7), "1 record(s) missing before it");
  }

  @Test
  void shouldNameTheFirstOfTwoSwappedRecords() throws SQLException {
    // Given two rows exchanging their offsets
    archiveAll();
    ArchivedRecord first = partition1.get(10);
    ArchivedRecord second = partition1.get(11);
    asAttacker(
        connection -> {
          Statement statement = connection.createStatement();
          statement.executeUpdate(
              "UPDATE consent_ledger SET \"offset\" = -1 WHERE partition = 1 AND \"offset\" = "
                  + first.offset());
          statement.executeUpdate(
              "UPDATE consent_ledger SET \"offset\" = "
                  + first.offset()
                  + " WHERE partition = 1 AND \"offset\" = "
                  + second.offset());
          statement.executeUpdate(
              "UPDATE consent_ledger SET \"offset\" = "
                  + second.offset()
                  + " WHERE partition = 1 AND \"offset\" = -1");
        });

    ArchiveVerdict verdict = verify();
    assertThat(verdict.ledger())
        .isInstanceOfSatisfying(
            ChainBreak.class,
            broken -> {
              assertThat(broken.partition()).isEqualTo(1);
              assertThat(broken.offset()).isEqualTo(first.offset());
              assertThat(broken.eventId()).isEqualTo(second.record().getEventId());
              assertThat(broken.reason()).contains("partitionSequence");
            });
  }

  @Test
  void shouldNameARecordInserted() throws SQLException {
    // Given a forged record, hashed correctly on its own, inserted in the offset gap after a real
    // one
    archiveAll();
    ArchivedRecord model = partition1.get(3);
    ConsentAuditRecord forged =
        ConsentAuditRecord.newBuilder(model.record())
            .setEventId("forged-consent")
            .setDetail("forged")
            .setHash(null)
            .build();
    forged.setHash(LedgerHashing.hash(forged));
    ArchivedRecord inserted = TestLedger.at(ledger.withRecord(model, forged), model.offset() + 1);
    asAttacker(
        connection -> {
          try (PreparedStatement insert = connection.prepareStatement(LedgerRow.INSERT)) {
            LedgerRow.bind(insert, inserted);
            insert.executeUpdate();
          }
        });

    assertBrokenAt(verify(), inserted, "repeated, inserted or out of order");
  }

  @Test
  void shouldNameTheLastRecordLeftWhenTheTailWasTruncated() throws SQLException {
    // Given the last four rows of partition 1 deleted, its position moved back to hide it
    archiveAll();
    ArchivedRecord lastLeft = partition1.get(partition1.size() - 5);
    asAttacker(
        connection -> {
          Statement statement = connection.createStatement();
          statement.executeUpdate(
              "DELETE FROM consent_ledger WHERE partition = 1 AND \"offset\" > "
                  + lastLeft.offset());
          statement.executeUpdate(
              "UPDATE archive_positions SET next_offset = "
                  + (lastLeft.offset() + 1)
                  + " WHERE partition = 1");
        });

    // Then the latest signed checkpoint exposes it
    assertBrokenAt(verify(), lastLeft, "its tail was truncated");
  }

  private interface Tamper {
    void apply(Connection connection) throws SQLException;
  }

  /** What a superuser can do: switch the append-only triggers off, edit, switch them back on. */
  private void asAttacker(Tamper tamper) throws SQLException {
    try (Connection connection = db.connect()) {
      connection.createStatement().execute("ALTER TABLE consent_ledger DISABLE TRIGGER USER");
      tamper.apply(connection);
      connection
          .createStatement()
          .execute("ALTER TABLE consent_ledger ENABLE ALWAYS TRIGGER " + LedgerTables.ROW_TRIGGER);
    }
  }

  private void archiveAll() {
    try (PostgresArchive archive = PostgresArchive.open(db)) {
      archive.append(ledger.records);
    }
  }

  private ArchiveVerdict verify() {
    return ArchiveVerification.jdbc(
        db, ledger.signingKey.publicKey(), ledger.latestCheckpoints.values());
  }

  private void assertRefused(String sql, String message) {
    assertRefused(db, sql, message);
  }

  private static void assertRefused(JdbcTarget target, String sql, String message) {
    assertThatThrownBy(
            () -> {
              try (Connection connection = target.connect();
                  Statement statement = connection.createStatement()) {
                statement.execute(sql);
              }
            })
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(message);
  }

  private String databaseName() throws SQLException {
    return queryString(db, "SELECT current_database()");
  }

  private static List<ArchivedRecord> readAll(JdbcTarget target) {
    try (Stream<ArchivedRecord> records = new PostgresArchiveReader(target).records()) {
      return records.toList();
    }
  }
}
