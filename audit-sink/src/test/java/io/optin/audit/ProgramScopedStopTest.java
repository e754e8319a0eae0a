package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.PipelineRecords.PHONE;
import static io.optin.audit.PipelineRecords.PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.tools.ConsentCertificate;
import io.optin.audit.tools.ConsentExport;
import io.optin.audit.tools.ConsentExports;
import io.optin.audit.tools.ConsentProof;
import io.optin.audit.tools.ProvenStatus;
import io.optin.audit.tools.StatusAsOf;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.InboundSms;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.OptInStatus;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger says exactly what a STOP revoked: with scope program, an OPTED_OUT for each program
 * the reply processor opted out (the other programs stay confirmed, in the status replay, the
 * export and the certificate); with scope all, one OPTED_OUT for the whole phone, as before.
 */
class ProgramScopedStopTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant STOP_AT = T0.plusSeconds(120);
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
  private static final String NEWS = "acme-news";
  private static final String OUR_NUMBER = "+15005550006";

  @TempDir Path stateDir;

  private AuditDriver audit;

  @BeforeEach
  void start() {
    audit = new AuditDriver(stateDir, new CheckpointPolicy(Duration.ofSeconds(30), 3));
  }

  @AfterEach
  void stop() {
    audit.close();
  }

  @Test
  void shouldRecordAnOptOutOfTheStoppedProgramAloneWithScopeProgram() throws Exception {
    // Given a phone confirmed for the deals and the news
    int before = confirmedForDealsAndNews();

    // When it texts STOP (stamped scope program) and the reply processor opts it out of the deals
    audit.pipe(Topics.SMS_INBOUND, PHONE, stop("PROGRAM"), STOP_AT);
    audit.pipe(Topics.PROGRAM_OPT_OUTS, PHONE, optOut(false, PROGRAM), STOP_AT);
    // (and the same STOP applied again, after a replay, records nothing more)
    audit.pipe(Topics.PROGRAM_OPT_OUTS, PHONE, optOut(false, PROGRAM), STOP_AT);

    // Then the reply is recorded, and one OPTED_OUT names the deals
    assertThat(stepsSince(before))
        .extracting(
            ConsentAuditRecord::getEventType,
            ConsentAuditRecord::getProgramId,
            ConsentAuditRecord::getProviderSid,
            ConsentAuditRecord::getMethod,
            ConsentAuditRecord::getDetail,
            ConsentAuditRecord::getChannel,
            ConsentAuditRecord::getOccurredAt,
            ConsentAuditRecord::getSourceTopic,
            ConsentAuditRecord::getHashVersion)
        .containsExactly(
            tuple(
                ConsentEventType.REPLY_RECEIVED,
                null,
                "SM-stop",
                null,
                "intent STOP",
                "SMS",
                STOP_AT,
                Topics.SMS_INBOUND.name(),
                2),
            tuple(
                ConsentEventType.OPTED_OUT,
                PROGRAM,
                "SM-stop",
                "REPLY_STOP",
                "STOP of scope program sent to " + OUR_NUMBER,
                "SMS",
                STOP_AT,
                Topics.PROGRAM_OPT_OUTS.name(),
                2));
    assertThat(audit.deadLetters()).isEmpty();
    assertThat(audit.verify().passed()).isTrue();
    // and the news stays confirmed: in the status replay, the export and the certificate
    assertThat(statuses())
        .containsExactly(tuple(PROGRAM, OptInStatus.OPTED_OUT), tuple(NEWS, OptInStatus.CONFIRMED));
    ObjectNode news = proof(NEWS);
    assertThat(news.get("outcomes"))
        .extracting(o -> o.get("programId").asText(), o -> o.get("status").asText())
        .containsExactly(tuple(NEWS, "CONFIRMED"));
    assertThat(types(news)).doesNotContain("OPTED_OUT");
    ObjectNode deals = proof(PROGRAM);
    assertThat(deals.get("outcomes"))
        .extracting(
            o -> o.get("programId").asText(),
            o -> o.get("status").asText(),
            o -> o.get("since").asText(),
            o -> o.get("method").asText())
        .containsExactly(tuple(PROGRAM, "OPTED_OUT", STOP_AT.toString(), "REPLY_STOP"));
    assertThat(types(deals))
        .containsExactly("REQUESTED", "CONFIRMED", "REPLY_RECEIVED", "OPTED_OUT:" + PROGRAM);
    // and each certificate verifies offline
    for (ObjectNode proof : List.of(news, deals)) {
      String page = ConsentCertificate.issue(proof, KEYS.signing());
      ConsentCertificate.Verdict verdict =
          ConsentCertificate.verify(page.getBytes(StandardCharsets.UTF_8), KEYS.publicKey());
      assertThat(verdict.valid()).as(verdict.message()).isTrue();
    }
  }

  @Test
  void shouldRecordEachProgramAStopOfScopeProgramOptedOutOf() {
    // Given a phone confirmed for the deals and the news
    int before = confirmedForDealsAndNews();

    // When a STOP of scope program opted it out of both (both were sent from the number it reached)
    audit.pipe(Topics.SMS_INBOUND, PHONE, stop("PROGRAM"), STOP_AT);
    audit.pipe(Topics.PROGRAM_OPT_OUTS, PHONE, optOut(false, NEWS, PROGRAM), STOP_AT);

    // Then one OPTED_OUT per program, each its own event
    List<ConsentAuditRecord> written = stepsSince(before);
    assertThat(written)
        .extracting(ConsentAuditRecord::getEventType, ConsentAuditRecord::getProgramId)
        .containsExactly(
            tuple(ConsentEventType.REPLY_RECEIVED, null),
            tuple(ConsentEventType.OPTED_OUT, PROGRAM),
            tuple(ConsentEventType.OPTED_OUT, NEWS));
    assertThat(written).extracting(ConsentAuditRecord::getEventId).doesNotHaveDuplicates();
    assertThat(statuses())
        .containsExactly(tuple(PROGRAM, OptInStatus.OPTED_OUT), tuple(NEWS, OptInStatus.OPTED_OUT));
    assertThat(audit.verify().passed()).isTrue();
  }

  @Test
  void shouldRecordAPhoneWideOptOutWhenNothingNarrowedAStopOfScopeProgram() {
    // Given a phone confirmed for the deals and the news
    int before = confirmedForDealsAndNews();

    // When the reply processor found no challenge to narrow the STOP: every program
    audit.pipe(Topics.SMS_INBOUND, PHONE, stop("PROGRAM"), STOP_AT);
    audit.pipe(Topics.PROGRAM_OPT_OUTS, PHONE, optOut(true, NEWS, PROGRAM), STOP_AT);

    // Then one OPTED_OUT for the whole phone
    assertThat(stepsSince(before))
        .extracting(
            ConsentAuditRecord::getEventType,
            ConsentAuditRecord::getProgramId,
            ConsentAuditRecord::getDetail)
        .containsExactly(
            tuple(ConsentEventType.REPLY_RECEIVED, null, "intent STOP"),
            tuple(
                ConsentEventType.OPTED_OUT,
                null,
                "STOP of scope program sent to "
                    + OUR_NUMBER
                    + ": nothing narrowed it, every program"));
    assertThat(statuses())
        .containsExactly(tuple(PROGRAM, OptInStatus.OPTED_OUT), tuple(NEWS, OptInStatus.OPTED_OUT));
  }

  @Test
  void shouldRecordAStopOfScopeAllOrUnstampedForTheWholePhone() {
    // Given a phone confirmed for the deals and the news
    int before = confirmedForDealsAndNews();

    // When it texts STOP stamped with scope all, then another from a webhook older than the stamp
    audit.pipe(Topics.SMS_INBOUND, PHONE, stop("ALL"), STOP_AT);
    InboundSms unstamped =
        InboundSms.newBuilder(stop(null))
            .setMessageSid("SM-stop-2")
            .setReceivedAt(STOP_AT.plusSeconds(1))
            .build();
    audit.pipe(Topics.SMS_INBOUND, PHONE, unstamped, STOP_AT.plusSeconds(1));

    // Then each is recorded as today: the reply and an OPTED_OUT of the whole phone
    assertThat(stepsSince(before))
        .extracting(
            ConsentAuditRecord::getEventType,
            ConsentAuditRecord::getProgramId,
            ConsentAuditRecord::getProviderSid,
            ConsentAuditRecord::getMethod)
        .containsExactly(
            tuple(ConsentEventType.REPLY_RECEIVED, null, "SM-stop", null),
            tuple(ConsentEventType.OPTED_OUT, null, "SM-stop", "REPLY_STOP"),
            tuple(ConsentEventType.REPLY_RECEIVED, null, "SM-stop-2", null),
            tuple(ConsentEventType.OPTED_OUT, null, "SM-stop-2", "REPLY_STOP"));
    assertThat(statuses())
        .containsExactly(tuple(PROGRAM, OptInStatus.OPTED_OUT), tuple(NEWS, OptInStatus.OPTED_OUT));
    assertThat(audit.verify().passed()).isTrue();
  }

  @Test
  void shouldVerifyALedgerMixingPhoneWideAndPerProgramOptOuts() {
    // Given a phone-wide STOP, a START, then a program-scoped STOP, all in one subject's chain
    int before = confirmedForDealsAndNews();
    audit.pipe(Topics.SMS_INBOUND, PHONE, stop("ALL"), STOP_AT);
    InboundSms start =
        InboundSms.newBuilder(PipelineRecords.inbound("SM-start", ReplyIntent.START, "START", T0))
            .setReceivedAt(STOP_AT.plusSeconds(10))
            .build();
    audit.pipe(Topics.SMS_INBOUND, PHONE, start, STOP_AT.plusSeconds(10));
    InboundSms again =
        InboundSms.newBuilder(stop("PROGRAM"))
            .setMessageSid("SM-stop-3")
            .setReceivedAt(STOP_AT.plusSeconds(20))
            .build();
    audit.pipe(Topics.SMS_INBOUND, PHONE, again, STOP_AT.plusSeconds(20));
    ProgramOptOut news =
        ProgramOptOut.newBuilder(optOut(false, NEWS))
            .setMessageSid("SM-stop-3")
            .setReceivedAt(STOP_AT.plusSeconds(20))
            .build();
    audit.pipe(Topics.PROGRAM_OPT_OUTS, PHONE, news, STOP_AT.plusSeconds(20));

    // Then the ledger verifies, both kinds of OPTED_OUT in it, and the replay ends with the news
    // alone opted out (START lifted the phone-wide one)
    assertThat(stepsSince(before))
        .extracting(ConsentAuditRecord::getEventType, ConsentAuditRecord::getProgramId)
        .containsExactly(
            tuple(ConsentEventType.REPLY_RECEIVED, null),
            tuple(ConsentEventType.OPTED_OUT, null),
            tuple(ConsentEventType.REPLY_RECEIVED, null),
            tuple(ConsentEventType.OPTED_IN, null),
            tuple(ConsentEventType.REPLY_RECEIVED, null),
            tuple(ConsentEventType.OPTED_OUT, NEWS));
    LedgerVerdict verdict = audit.verify();
    assertThat(verdict.passed()).as(verdict.describe()).isTrue();
    assertThat(statuses())
        .containsExactly(tuple(PROGRAM, OptInStatus.UNKNOWN), tuple(NEWS, OptInStatus.OPTED_OUT));
  }

  /** Signups and confirmations of the deals and the news; returns the ledger's size after them. */
  private int confirmedForDealsAndNews() {
    audit.pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    audit.pipe(Topics.CHALLENGES, PHONE, confirmed(PipelineRecords.CHALLENGE_ID, PROGRAM), T0);
    SignupRequested news =
        SignupRequested.newBuilder(PipelineRecords.signup(T0.plusSeconds(30)))
            .setSignupId("5d0c9a1e-7b3f-4e2a-9c8d-1f2e3d4c5b6a")
            .setProgramId(NEWS)
            .build();
    audit.pipe(Topics.SIGNUP_REQUESTS, PHONE, news, T0.plusSeconds(30));
    audit.pipe(Topics.CHALLENGES, PHONE, confirmed("ch-news", NEWS), T0.plusSeconds(40));
    return audit.records().size();
  }

  /** The subject's steps written since the ledger held {@code before} records (no checkpoints). */
  private List<ConsentAuditRecord> stepsSince(int before) {
    return audit.records().subList(before, audit.records().size()).stream()
        .filter(r -> r.getEventType() != ConsentEventType.CHECKPOINT)
        .toList();
  }

  private static ChallengeEvent confirmed(String challengeId, String programId) {
    return ChallengeEvent.newBuilder(
            PipelineRecords.challenge(
                ChallengeEventType.CLOSED,
                ChallengeOutcome.CONFIRMED,
                "replied YES in window",
                T0.plusSeconds(PROGRAM.equals(programId) ? 10 : 40)))
        .setChallengeId(challengeId)
        .setProgramId(programId)
        .build();
  }

  private static InboundSms stop(String scope) {
    return InboundSms.newBuilder(
            PipelineRecords.inbound("SM-stop", ReplyIntent.STOP, "STOP", STOP_AT))
        .setToNumber(OUR_NUMBER)
        .setStopScope(scope)
        .build();
  }

  private static ProgramOptOut optOut(boolean everyProgram, String... programs) {
    return ProgramOptOut.newBuilder()
        .setMessageSid("SM-stop")
        .setPhone(PHONE)
        .setToNumber(OUR_NUMBER)
        .setProgramIds(List.of(programs))
        .setEveryProgram(everyProgram)
        .setReceivedAt(STOP_AT)
        .build();
  }

  private List<Tuple> statuses() {
    List<Tuple> statuses = new ArrayList<>();
    for (ProvenStatus status : StatusAsOf.allPrograms(audit.records(), NOW)) {
      statuses.add(tuple(status.programId(), status.status()));
    }
    return statuses;
  }

  private ObjectNode proof(String programId) throws Exception {
    ConsentExport export =
        new ConsentExports(
                new DriverSubjectLedger(audit),
                SUBJECTS,
                KEYS.master(),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .export(PHONE);
    LedgerVerdict verdict = audit.verify();
    LedgerCheckpoint latest = null;
    for (LedgerCheckpoint checkpoint : audit.checkpoints()) {
      latest = checkpoint;
    }
    return ConsentProof.of(
        export,
        new ConsentProof.Scope(
            programId,
            true,
            Map.of(PROGRAM, "Acme", NEWS, "Acme News"),
            new ConsentProof.LedgerCheck(
                verdict.passed(), verdict.describe(), KEYS.publicKey().keyId(), latest)),
        NOW);
  }

  /** The certificate's steps: their type, and the program when the step names one. */
  private static List<String> types(ObjectNode proof) {
    List<String> types = new ArrayList<>();
    for (JsonNode step : proof.get("steps")) {
      JsonNode program = step.get("programId");
      boolean named = program != null && !program.isNull();
      types.add(
          step.get("type").asText()
              + (named && step.get("type").asText().equals("OPTED_OUT")
                  ? ":" + program.asText()
                  : ""));
    }
    return types;
  }
}
