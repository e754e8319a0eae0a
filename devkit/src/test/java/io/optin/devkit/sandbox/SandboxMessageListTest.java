package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.twilio.base.ResourceSet;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import io.optin.dispatcher.sms.LookupResult;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.SentMessageQuery;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioClients;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's Messages list, read by the real twilio-java reader (and optin's lookup on it):
 * filters To, From and DateSent, newest first, paged by next_page_uri; and a slow provider holds
 * hundreds of answers at once.
 */
class SandboxMessageListTest {

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String OPTIN_NUMBER = "+15005550006";
  private static final String OTHER_NUMBER = "+15005550007";
  private static final String PHONE = "+15551230001";
  private static final String OTHER_PHONE = "+15551230002";
  private static final Duration AT_MOST = Duration.ofSeconds(20);

  private TwilioSandbox sandbox;
  private TwilioRestClient client;
  private TwilioSmsGateway gateway;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
            .callbackDelay(Duration.ZERO)
            .start();
    client =
        TwilioClients.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(ACCOUNT_SID, AUTH_TOKEN))
                .withApiBaseUrl(sandbox.baseUrl()));
    gateway = new TwilioSmsGateway(client);
  }

  @AfterEach
  void stop() {
    gateway.close();
    sandbox.close();
  }

  @Test
  void shouldListTheRecipientsSentMessagesNewestFirstAcrossPagesForTheSdkReader() {
    // Given five messages to the phone from optin's number, one from another number, one to
    // another phone, all sent
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sids.add(sid(gateway.send(OutgoingSms.fromNumber(PHONE, OPTIN_NUMBER, "code " + i, null))));
    }
    gateway.send(OutgoingSms.fromNumber(PHONE, OTHER_NUMBER, "other sender", null));
    gateway.send(OutgoingSms.fromNumber(OTHER_PHONE, OPTIN_NUMBER, "other phone", null));
    awaitAllSent();

    // When the SDK reads them by To, From and DateSent (on or after today), two per page
    ZonedDateTime today = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    ResourceSet<Message> listed =
        Message.reader()
            .setTo(PHONE)
            .setFrom(OPTIN_NUMBER)
            .setDateSentAfter(today)
            .setPageSize(2L)
            .read(client);

    // Then all five come back over three pages, newest first
    List<String> newestFirst = new ArrayList<>(sids);
    Collections.reverse(newestFirst);
    assertThat(StreamSupport.stream(listed.spliterator(), false).map(Message::getSid).toList())
        .containsExactlyElementsOf(newestFirst);
    // And nothing was sent on or before yesterday
    assertThat(
            Message.reader()
                .setTo(PHONE)
                .setDateSentBefore(today.minusDays(1))
                .read(client)
                .iterator()
                .hasNext())
        .isFalse();
  }

  @Test
  void shouldFindAMessageByItsTextAndNotAnotherOne() {
    // Given a message sent to the phone
    String sid =
        sid(gateway.send(OutgoingSms.fromNumber(PHONE, OPTIN_NUMBER, "code 123456", null)));
    awaitAllSent();
    Instant since = Instant.now().minusSeconds(60);

    // When it is looked up by its text, and another text is looked up
    LookupResult found =
        gateway.findSent(new SentMessageQuery(PHONE, OPTIN_NUMBER, since, "code 123456"::equals));
    LookupResult missing =
        gateway.findSent(new SentMessageQuery(PHONE, OPTIN_NUMBER, since, "code 654321"::equals));

    // Then the first is found with its sid, the second is not
    assertThat(found)
        .isInstanceOfSatisfying(LookupResult.Found.class, f -> assertThat(f.sid()).isEqualTo(sid));
    assertThat(missing).isInstanceOf(LookupResult.NotFound.class);
  }

  @Test
  void shouldFindAMessageStillQueuedThatTheDateSentFilterMisses() {
    // Given a message accepted but never sent (its status callbacks are an hour away)
    sandbox.callbackDelay(Duration.ofHours(1));
    String sid = sid(gateway.send(OutgoingSms.fromNumber(PHONE, OPTIN_NUMBER, "queued 1", null)));

    // When it is looked up
    LookupResult found =
        gateway.findSent(
            new SentMessageQuery(
                PHONE, OPTIN_NUMBER, Instant.now().minusSeconds(5), "queued 1"::equals));

    // Then it is found although it has no date sent
    assertThat(found)
        .isInstanceOfSatisfying(LookupResult.Found.class, f -> assertThat(f.sid()).isEqualTo(sid));
  }

  @Test
  void shouldHoldTwoHundredAnswersOfASlowProviderAtOnce() throws Exception {
    // Given a provider that holds its answers
    sandbox.apiAnswerDelay(Duration.ofMinutes(10));
    ExecutorService callers = Executors.newFixedThreadPool(200);
    try {
      // When 200 messages are sent at once
      List<CompletableFuture<SendResult>> results =
          IntStream.range(0, 200)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              gateway.send(
                                  OutgoingSms.fromNumber(
                                      String.format("+1555999%04d", i),
                                      OPTIN_NUMBER,
                                      "held " + i,
                                      null)),
                          callers))
              .toList();

      // Then all 200 answers are held together, and all are accepted once released
      await().atMost(AT_MOST).until(() -> sandbox.heldApiAnswers() == 200);
      sandbox.apiAnswerDelay(Duration.ZERO);
      assertThat(results.stream().map(CompletableFuture::join).toList())
          .hasSize(200)
          .allMatch(SendResult::accepted);
    } finally {
      callers.shutdownNow();
    }
  }

  private void awaitAllSent() {
    await()
        .atMost(AT_MOST)
        .until(
            () ->
                sandbox.messagesTo(PHONE).stream()
                    .noneMatch(m -> m.status().equals("queued") || m.status().equals("accepted")));
  }

  private static String sid(SendResult result) {
    assertThat(result).isInstanceOf(SendResult.Accepted.class);
    return ((SendResult.Accepted) result).sid();
  }
}
