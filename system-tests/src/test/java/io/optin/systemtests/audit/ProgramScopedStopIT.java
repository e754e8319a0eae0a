package io.optin.systemtests.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.optin.audit.tools.LedgerTopics;
import io.optin.audit.tools.ProvenStatus;
import io.optin.audit.tools.StatusAsOf;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.OptInStatus;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.kit.http.ContractCheckedHttpClient;
import io.optin.schemas.Topics;
import io.optin.systemtests.SandboxFlow;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code replies.stop.scope=program}, a STOP travels from the inbound webhook through the
 * reply processor to the ledger: the ledger's OPTED_OUT names the program the STOP revoked, and the
 * other program stays confirmed in the ledger's replay.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProgramScopedStopIT {

  private static final String PHONE = "+14155550152";
  private static final String DEALS = "acme-deals";
  private static final String NEWS = "acme-news";
  // A number of ours that sent no code: nothing but the latest challenge tells what it answers.
  private static final String OTHER_NUMBER = "+15005550199";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

  @TempDir Path dataDir;

  private final ContractCheckedHttpClient http = ContractCheckedHttpClient.newClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;

  @BeforeEach
  void startEverything() {
    Settings settings =
        Settings.load(
            DevSettings.CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_DEV_BROKER_PORT", "0",
                "OPTIN_DEV_REGISTRY_PORT", "0",
                "OPTIN_DEV_SANDBOX_PORT", "0",
                "OPTIN_HTTP_PORT", "0",
                "OPTIN_DEV_DATA_DIR", dataDir.toString(),
                "OPTIN_TOPICS_PARTITIONS", "2",
                "OPTIN_REPLIES_STOP_SCOPE", "program"));
    optin = EmbeddedOptin.start(settings);
    sandbox = optin.sandbox().orElseThrow();
    await().atMost(Duration.ofSeconds(120)).until(optin::isReady);
  }

  @AfterEach
  void stopEverything() {
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldRecordTheOptOutOfTheStoppedProgramAloneInTheLedger() throws Exception {
    // Given the phone confirmed by reply for the deals, then for the news
    confirm(DEALS, 1);
    confirm(NEWS, 2);

    // When it texts STOP to a number of ours that sent it no code
    assertThat(sandbox.reply(PHONE, OTHER_NUMBER, "STOP").status()).isEqualTo(200);

    // Then the ledger records the reply, then an OPTED_OUT of the news (the latest challenge) alone
    LedgerTopics ledger =
        new LedgerTopics(
            Map.of("bootstrap.servers", optin.bootstrapServers()),
            optin.serdes(),
            Duration.ofSeconds(30));
    String subject = optin.subjectKeys().keyFor(PHONE);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                ledger.subjectRecords(subject, PHONE).stream()
                    .anyMatch(r -> r.getEventType() == ConsentEventType.OPTED_OUT));
    List<ConsentAuditRecord> records = ledger.subjectRecords(subject, PHONE);
    assertThat(records)
        .filteredOn(
            r ->
                r.getEventType() == ConsentEventType.OPTED_OUT
                    || "intent STOP".equals(r.getDetail()))
        .extracting(
            ConsentAuditRecord::getEventType,
            ConsentAuditRecord::getProgramId,
            ConsentAuditRecord::getMethod,
            ConsentAuditRecord::getDetail,
            ConsentAuditRecord::getSourceTopic)
        .containsExactly(
            tuple(
                ConsentEventType.REPLY_RECEIVED,
                null,
                null,
                "intent STOP",
                Topics.SMS_INBOUND.name()),
            tuple(
                ConsentEventType.OPTED_OUT,
                NEWS,
                "REPLY_STOP",
                "STOP of scope program sent to " + OTHER_NUMBER,
                Topics.PROGRAM_OPT_OUTS.name()));
    // and the ledger's replay keeps the deals confirmed, as the status topic does
    assertThat(StatusAsOf.allPrograms(records, Instant.now()))
        .extracting(ProvenStatus::programId, ProvenStatus::status)
        .containsExactly(tuple(DEALS, OptInStatus.CONFIRMED), tuple(NEWS, OptInStatus.OPTED_OUT));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(List.of(status(DEALS), status(NEWS)))
                    .containsExactly("CONFIRMED", "OPTED_OUT"));
  }

  private void confirm(String program, int nth) throws Exception {
    assertThat(post("/v1/signups", signup(program)).statusCode()).isEqualTo(202);
    await().atMost(PATIENCE).until(() -> sentThroughTheApi().size() >= nth);
    assertThat(sandbox.reply(PHONE, optin.fromNumber().orElseThrow(), "YES").status())
        .isEqualTo(200);
    await().atMost(PATIENCE).until(() -> "CONFIRMED".equals(status(program)));
  }

  /** The program's status as {@code GET /v1/subscribers/{phone}?programId=} tells it. */
  private String status(String program) throws Exception {
    HttpResponse<String> response = get("/v1/subscribers/" + PHONE + "?programId=" + program);
    Matcher status = STATUS.matcher(response.body());
    return response.statusCode() == 200 && status.find() ? status.group(1) : null;
  }

  private List<SandboxMessage> sentThroughTheApi() {
    return SandboxFlow.sentThroughTheApi(sandbox, PHONE);
  }

  private static String signup(String program) {
    return SandboxFlow.webSignup(PHONE, program);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(optin.gatewayUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
