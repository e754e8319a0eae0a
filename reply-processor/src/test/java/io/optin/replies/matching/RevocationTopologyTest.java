package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.PHONE;
import static io.optin.replies.matching.Challenges.issued;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.InboundSms;
import io.optin.avro.OptInStatus;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.replies.RepliesSettings;
import io.optin.replies.matching.ReplyTopologyConfig.StopScope;
import io.optin.replies.parse.ReplyParser;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replies read by the rule table, through the reply topology: an opt-out phrase opts out like STOP,
 * a REVIEW changes nothing, and {@code replies.stop.scope} bounds what one STOP opts out of.
 */
class RevocationTopologyTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(10));
  private static final String SALE = "spring-sale";
  private static final String NEWS = "news";
  private static final String NEWS_NUMBER = "+14155550888";

  @TempDir Path stateDir;

  private final ReplyParser parser = new ReplyParser(CODES.length());
  private ReplyDriver replies;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;
  private TestOutputTopic<String, ChallengeEvent> challengeEvents;
  private TestOutputTopic<String, SubscriberConfirmed> confirmations;
  private TestOutputTopic<String, SubscriberStatus> statuses;
  private TestOutputTopic<String, ProgramOptOut> programOptOuts;
  // The scope the webhook stamps on a STOP: the setting in force, unless a test says otherwise.
  private String stamp;

  private void start(StopScope scope) {
    stamp = scope.name();
    ReplyTopologyConfig config =
        ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE)).withStopScope(scope);
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    replies =
        new ReplyDriver(
            "revocation-test",
            ReplyTopology.build(
                config, serdes, CODES, Challenges.SUBJECTS, OptinMetrics.unexposed()),
            serdes,
            stateDir,
            T0);
    challenges = replies.input(Topics.CHALLENGES);
    inbound = replies.input(Topics.SMS_INBOUND);
    challengeEvents = replies.output(Topics.CHALLENGES);
    confirmations = replies.output(Topics.CONFIRMED_SUBSCRIBERS);
    statuses = replies.output(Topics.SUBSCRIBER_STATUS);
    programOptOuts = replies.output(Topics.PROGRAM_OPT_OUTS);
  }

  @AfterEach
  void close() {
    if (replies != null) {
      replies.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Please stop texting me",
        "wrong number",
        "Arrêtez de m'envoyer des SMS",
        "no más",
        "Keine SMS mehr bitte",
        "yes but stop"
      })
  void shouldOptOutOnAnOptOutPhraseAsOnStop(String body) {
    // Given an open challenge
    start(StopScope.ALL);
    openSale(T0);

    // When the subscriber answers with a phrase
    Instant r = T0.plusSeconds(20);
    reply("SM-phrase", body, OUR_NUMBER, r);

    // Then the challenge closes REJECTED and the program is opted out, as for STOP
    assertThat(closedOutcomes()).isEqualTo(Map.of("ch-sale", ChallengeOutcome.REJECTED));
    assertThat(latestStatuses()).isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"no thanks", "who is this?", "nein", "spam", "don't stop, stop texting me"})
  void shouldChangeNothingOnAReviewReplyAndStillConfirmALaterYes(String body) {
    // Given an open challenge
    start(StopScope.ALL);
    openSale(T0);

    // When the subscriber answers with a doubtful refusal
    reply("SM-review", body, OUR_NUMBER, T0.plusSeconds(20));

    // Then nothing is closed, no status moves, nothing is confirmed
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(statuses.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(replies.outcome("SM-review")).isNull();

    // and a YES afterwards still confirms: the REVIEW was not parked as an answer
    reply("SM-yes", "Yes please", OUR_NUMBER, T0.plusSeconds(30));
    assertThat(closedOutcomes()).isEqualTo(Map.of("ch-sale", ChallengeOutcome.CONFIRMED));
    assertThat(confirmations.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldOptOutOfEveryProgramOfThePhoneWithScopeAll() {
    // Given two programs on two numbers, both pending
    start(StopScope.ALL);
    openSale(T0);
    openNews(T0.plusSeconds(1));

    // When a STOP reaches the sale's number
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));

    // Then both challenges close REJECTED and both programs are opted out
    assertThat(closedOutcomes())
        .isEqualTo(
            Map.of("ch-sale", ChallengeOutcome.REJECTED, "ch-news", ChallengeOutcome.REJECTED));
    assertThat(latestStatuses())
        .isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT, NEWS, OptInStatus.OPTED_OUT));
    // and nothing is published per program: the ledger records the STOP for the whole phone
    assertThat(programOptOuts.isEmpty()).isTrue();
  }

  @Test
  void shouldOptOutOnlyOfTheProgramWhoseNumberTheStopReachedWithScopeProgram() {
    // Given two programs on two numbers, both pending
    start(StopScope.PROGRAM);
    openSale(T0);
    openNews(T0.plusSeconds(1));

    // When a STOP reaches the sale's number
    reply("SM-stop", "unsubscribe me", OUR_NUMBER, T0.plusSeconds(20));

    // Then only the sale is rejected and opted out; the news challenge stays open
    assertThat(closedOutcomes()).isEqualTo(Map.of("ch-sale", ChallengeOutcome.REJECTED));
    assertThat(latestStatuses()).isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT));
    assertThat(programOptOuts.readValuesToList())
        .containsExactly(optOut("SM-stop", OUR_NUMBER, T0.plusSeconds(20), false, SALE));

    // and a YES to the news number still confirms the news
    reply("SM-yes", "YES", NEWS_NUMBER, T0.plusSeconds(30));
    assertThat(closedOutcomes()).isEqualTo(Map.of("ch-news", ChallengeOutcome.CONFIRMED));
    assertThat(latestStatuses()).isEqualTo(Map.of(NEWS, OptInStatus.CONFIRMED));
  }

  @Test
  void shouldOptOutOfAConfirmedProgramByItsNumberWithScopeProgram() {
    // Given the news confirmed earlier, then a sale pending on another number
    start(StopScope.PROGRAM);
    openNews(T0);
    reply("SM-yes", "yes", NEWS_NUMBER, T0.plusSeconds(5));
    openSale(T0.plusSeconds(10));
    challengeEvents.readValuesToList();
    statuses.readValuesToList();

    // When a STOP reaches the news number
    reply("SM-stop", "STOP", NEWS_NUMBER, T0.plusSeconds(20));

    // Then the news is opted out, the sale's challenge stays open and pending
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(latestStatuses()).isEqualTo(Map.of(NEWS, OptInStatus.OPTED_OUT));
    // and what the STOP opted out of is published for the ledger: the news alone
    assertThat(programOptOuts.readValuesToList())
        .containsExactly(optOut("SM-stop", NEWS_NUMBER, T0.plusSeconds(20), false, NEWS));
  }

  @Test
  void shouldPublishOnlyTheConfirmedProgramWhoseNumberTheStopReachedWithScopeProgram() {
    // Given the sale and the news both confirmed, each from its own number
    start(StopScope.PROGRAM);
    openSale(T0);
    reply("SM-yes-sale", "YES", OUR_NUMBER, T0.plusSeconds(5));
    openNews(T0.plusSeconds(10));
    reply("SM-yes-news", "YES", NEWS_NUMBER, T0.plusSeconds(15));
    challengeEvents.readValuesToList();
    statuses.readValuesToList();

    // When a STOP reaches the sale's number, then the same STOP is delivered again
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));

    // Then the sale alone is opted out, once, and published as such; the news stays confirmed
    assertThat(latestStatuses()).isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT));
    assertThat(programOptOuts.readValuesToList())
        .containsExactly(optOut("SM-stop", OUR_NUMBER, T0.plusSeconds(20), false, SALE));
  }

  @Test
  void shouldApplyTheScopeStampedOnTheStopOverTheSetting() {
    // Given the setting says program, but the STOP was received while it said all
    start(StopScope.PROGRAM);
    stamp = StopScope.ALL.name();
    openSale(T0);
    openNews(T0.plusSeconds(1));

    // When the STOP reaches the sale's number
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));

    // Then it opts out of every program, as it was received, and publishes nothing per program
    assertThat(latestStatuses())
        .isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT, NEWS, OptInStatus.OPTED_OUT));
    assertThat(programOptOuts.isEmpty()).isTrue();
  }

  @Test
  void shouldApplyTheSettingToAnUnstampedStopAndPublishNothingPerProgram() {
    // Given scope program and a STOP from a webhook older than the stamp
    start(StopScope.PROGRAM);
    stamp = null;
    openSale(T0);
    openNews(T0.plusSeconds(1));

    // When it reaches the sale's number
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));

    // Then the setting bounds it, and the ledger records it for the whole phone (nothing published)
    assertThat(latestStatuses()).isEqualTo(Map.of(SALE, OptInStatus.OPTED_OUT));
    assertThat(programOptOuts.isEmpty()).isTrue();
  }

  @Test
  void shouldPublishEveryProgramWhenNoChallengeNarrowsAStopWithScopeProgram() {
    // Given scope program and a phone with no challenge remembered
    start(StopScope.PROGRAM);

    // When it texts STOP
    reply("SM-stop", "STOP", OUR_NUMBER, T0.plusSeconds(20));

    // Then the STOP is published as one of every program (none known yet)
    assertThat(programOptOuts.readValuesToList())
        .containsExactly(optOut("SM-stop", OUR_NUMBER, T0.plusSeconds(20), true));
  }

  @Test
  void shouldOptOutOfTheLatestProgramWhenTheNumberIsUnknownWithScopeProgram() {
    // Given two pending programs, the news sent last
    start(StopScope.PROGRAM);
    openSale(T0);
    openNews(T0.plusSeconds(1));

    // When a STOP arrives without the number it reached
    reply("SM-stop", "STOP", null, T0.plusSeconds(20));

    // Then the program of the latest challenge is opted out
    assertThat(closedOutcomes()).isEqualTo(Map.of("ch-news", ChallengeOutcome.REJECTED));
    assertThat(latestStatuses()).isEqualTo(Map.of(NEWS, OptInStatus.OPTED_OUT));
  }

  private void openSale(Instant at) {
    challenges.pipeInput(PHONE, issued("ch-sale", SALE, at, EXPIRES), at);
    statuses.readValuesToList();
  }

  private void openNews(Instant at) {
    ChallengeEvent news = issued("ch-news", NEWS, at, EXPIRES);
    news.setFromNumber(NEWS_NUMBER);
    challenges.pipeInput(PHONE, news, at);
    statuses.readValuesToList();
  }

  private void reply(String sid, String body, String toNumber, Instant at) {
    ReplyParser.Reading reading = parser.read(body);
    InboundSms sms =
        InboundSms.newBuilder()
            .setMessageSid(sid)
            .setPhone(PHONE)
            .setToNumber(toNumber)
            .setIntent(reading.intent())
            .setCodeHash(reading.reply().code().map(CODES::codeHash).orElse(null))
            .setMaskedBody(body)
            .setReceivedAt(at)
            .setRule(reading.rule())
            .setStopScope(reading.intent() == ReplyIntent.STOP ? stamp : null)
            .build();
    inbound.pipeInput(PHONE, sms, at);
  }

  private static ProgramOptOut optOut(
      String sid, String toNumber, Instant at, boolean everyProgram, String... programs) {
    return ProgramOptOut.newBuilder()
        .setMessageSid(sid)
        .setPhone(PHONE)
        .setToNumber(toNumber)
        .setProgramIds(List.of(programs))
        .setEveryProgram(everyProgram)
        .setReceivedAt(at)
        .build();
  }

  private Map<String, ChallengeOutcome> closedOutcomes() {
    return challengeEvents.readValuesToList().stream()
        .filter(e -> e.getType() == ChallengeEventType.CLOSED)
        .collect(Collectors.toMap(ChallengeEvent::getChallengeId, ChallengeEvent::getOutcome));
  }

  private Map<String, OptInStatus> latestStatuses() {
    return statuses.readValuesToList().stream()
        .collect(
            Collectors.toMap(
                SubscriberStatus::getProgramId, SubscriberStatus::getStatus, (a, b) -> b));
  }
}
