package io.optin.systemtests.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.audit.tools.ErasureReceipt;
import io.optin.audit.tools.LedgerEraser;
import io.optin.audit.tools.LedgerTopics;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.schemas.Topics;
import io.optin.schemas.connect.OptinAvroConverter;
import io.optin.systemtests.ReadyOptin;
import io.optin.systemtests.SandboxFlow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two published topics sink into PostgreSQL through a real Kafka Connect worker with the
 * settings docs/integrations.md gives (string keys, {@link OptinAvroConverter} for the values,
 * upsert on the record key, delete on tombstones): one row per confirmed subscriber and per status
 * key, the status row gone after START, both rows gone after an erasure.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PostgresSinkIT {

  private static final String PROGRAM = "acme-deals";
  private static final String KEPT = "+14155550161";
  private static final String RESTARTED = "+14155550162";
  private static final String ERASED = "+14155550163";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;
  private EmbeddedPostgres postgres;
  private EmbeddedConnect connect;

  @BeforeEach
  void startEverything() throws Exception {
    optin =
        ReadyOptin.start(
            dataDir.resolve("optin"), Map.of("OPTIN_PROGRAMS_BRANDS", PROGRAM + "=Acme"));
    sandbox = optin.sandbox().orElseThrow();
    postgres = EmbeddedPostgres.builder().start();
    connect = EmbeddedConnect.start(optin.bootstrapServers(), dataDir);
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (connect != null) {
      connect.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldKeepOneRowPerConfirmedSubscriberAndDeleteItAfterStartAndErasure() throws Exception {
    // Given the two sinks of docs/integrations.md running in a Connect worker
    connect.put(
        "confirmed-subscribers",
        sink(Topics.CONFIRMED_SUBSCRIBERS.name(), "confirmed_subscribers", "subscriber_key"));
    connect.put(
        "subscriber-status",
        sink(Topics.SUBSCRIBER_STATUS.name(), "subscriber_status", "status_key"));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertRunning(connect.status("confirmed-subscribers"));
              assertRunning(connect.status("subscriber-status"));
            });

    // When three phones sign up and confirm by replying YES
    for (String phone : List.of(KEPT, RESTARTED, ERASED)) {
      assertThat(post("/v1/signups", signup(phone)).statusCode()).isEqualTo(202);
      awaitCode(phone);
      assertThat(sandbox.reply(phone, from(), "YES").status()).isEqualTo(200);
    }

    // Then each has one confirmed row and one CONFIRMED status row, keyed as the topics are
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(rows("confirmed_subscribers", "subscriber_key", "phone", "programId"))
                  .isEqualTo(
                      Map.of(
                          KEPT, KEPT + "|" + PROGRAM,
                          RESTARTED, RESTARTED + "|" + PROGRAM,
                          ERASED, ERASED + "|" + PROGRAM));
              assertThat(rows("subscriber_status", "status_key", "phone", "status"))
                  .isEqualTo(
                      Map.of(
                          PROGRAM + ":" + KEPT, KEPT + "|CONFIRMED",
                          PROGRAM + ":" + RESTARTED, RESTARTED + "|CONFIRMED",
                          PROGRAM + ":" + ERASED, ERASED + "|CONFIRMED"));
            });

    // When one phone opts out by STOP, its status row is updated in place
    assertThat(sandbox.reply(RESTARTED, from(), "STOP").status()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(rows("subscriber_status", "status_key", "phone", "status"))
                    .containsEntry(PROGRAM + ":" + RESTARTED, RESTARTED + "|OPTED_OUT")
                    .hasSize(3));
    // And when it sends START, the status tombstone deletes the row
    assertThat(sandbox.reply(RESTARTED, from(), "START").status()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(rows("subscriber_status", "status_key", "phone", "status"))
                    .doesNotContainKey(PROGRAM + ":" + RESTARTED)
                    .hasSize(2));

    // When another phone is erased, as `optin audit erase` does
    Map<String, Object> kafka = Map.of("bootstrap.servers", optin.bootstrapServers());
    LedgerTopics ledger = new LedgerTopics(kafka, optin.serdes(), Duration.ofSeconds(30));
    LedgerEraser eraser = new LedgerEraser(kafka, optin.serdes(), optin.subjectKeys());
    ErasureReceipt receipt = eraser.erase(ERASED, "dpo", "ticket 5120", Instant.now(), ledger);
    assertThat(eraser.awaitErased(receipt, ERASED, ledger, PATIENCE)).isPresent();

    // Then the tombstones on both topics delete both its rows; the others stay as they were
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(rows("confirmed_subscribers", "subscriber_key", "phone", "programId"))
                  .isEqualTo(
                      Map.of(
                          KEPT, KEPT + "|" + PROGRAM,
                          RESTARTED, RESTARTED + "|" + PROGRAM));
              assertThat(rows("subscriber_status", "status_key", "phone", "status"))
                  .isEqualTo(Map.of(PROGRAM + ":" + KEPT, KEPT + "|CONFIRMED"));
            });
    assertRunning(connect.status("confirmed-subscribers"));
    assertRunning(connect.status("subscriber-status"));
  }

  /** The sink's settings, as docs/integrations.md gives them (with this test's connector class). */
  private Map<String, String> sink(String topic, String table, String keyColumn) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", UpsertJdbcSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("key.converter", StringConverter.class.getName());
    config.put("value.converter", OptinAvroConverter.class.getName());
    config.put("value.converter.schema.registry.url", optin.registryUrl());
    config.put("connection.url", postgres.getJdbcUrl("postgres", "postgres"));
    config.put("table.name.format", table);
    config.put("insert.mode", "upsert");
    config.put("pk.mode", "record_key");
    config.put("pk.fields", keyColumn);
    config.put("delete.enabled", "true");
    config.put("auto.create", "true");
    return config;
  }

  private static void assertRunning(ConnectorStateInfo status) {
    assertThat(status.connector().state()).as(status.name()).isEqualTo("RUNNING");
    assertThat(status.tasks()).as(status.name()).isNotEmpty();
    status
        .tasks()
        .forEach(
            task ->
                assertThat(task.state())
                    .as(status.name() + " " + task.trace())
                    .isEqualTo("RUNNING"));
  }

  /** The table's rows: key column to the two other columns joined by "|"; empty before creation. */
  private Map<String, String> rows(String table, String key, String first, String second)
      throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      try (ResultSet tables = meta.getTables(null, null, table, null)) {
        if (!tables.next()) {
          return rows;
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT \"%s\", \"%s\", \"%s\" FROM %s".formatted(key, first, second, table))) {
        while (result.next()) {
          rows.put(result.getString(1), result.getString(2) + "|" + result.getString(3));
        }
      }
    }
    return rows;
  }

  private String from() {
    return optin.fromNumber().orElseThrow();
  }

  private void awaitCode(String phone) {
    SandboxFlow.awaitCode(sandbox, phone, 1);
  }

  private static String signup(String phone) {
    return SandboxFlow.webSignup(phone, PROGRAM);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(optin.gatewayUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
