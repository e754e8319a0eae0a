package io.optin.dispatcher.sms;

import com.twilio.base.Page;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.rest.api.v2010.account.MessageReader;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an SMS through Twilio's Messages API with twilio-java: one HTTP request per {@link #send},
 * the outcome as a {@link SendResult}; {@link #findSent} reads the Messages list back. The fallback
 * channels go the same way: {@link #call} through the Calls API, {@link #sendWhatsApp} through the
 * Messages API with a content template.
 */
public final class TwilioSmsGateway implements SmsGateway, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TwilioSmsGateway.class);

  static final int LOOKUP_PAGE_SIZE = 50;
  static final int MAX_LOOKUP_PAGES = 20;

  private final TwilioRestClient client;

  /** Use a client from {@link TwilioClients}, or the SDK may retry behind our back. */
  public TwilioSmsGateway(TwilioRestClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public static TwilioSmsGateway create(TwilioClientSettings settings) {
    return new TwilioSmsGateway(TwilioClients.create(settings));
  }

  @Override
  public SendResult send(OutgoingSms sms) {
    try {
      Message message = creator(sms).create(client);
      String status = message.getStatus() == null ? null : message.getStatus().toString();
      log.debug("Twilio accepted {} as {} ({})", sms, message.getSid(), status);
      return new SendResult.Accepted(message.getSid(), status);
    } catch (TwilioException e) {
      SendResult result = TwilioErrorClassifier.classify(e);
      // Twilio's messages quote the phone number: log the classification, not the text.
      log.info("Twilio did not accept {}: {}", sms, result.summary());
      return result;
    }
  }

  /** Places the call through the Calls API, its TwiML inline. */
  @Override
  public SendResult call(OutgoingCall call) {
    try {
      CallCreator creator =
          Call.creator(
              new PhoneNumber(call.to()), new PhoneNumber(call.from()), new Twiml(call.twiml()));
      if (call.statusCallback() != null) {
        creator.setStatusCallback(call.statusCallback());
        creator.setStatusCallbackEvent(List.of("completed"));
      }
      Call created = creator.create(client);
      String status = created.getStatus() == null ? null : created.getStatus().toString();
      log.debug("Twilio accepted {} as {} ({})", call, created.getSid(), status);
      return new SendResult.Accepted(created.getSid(), status);
    } catch (TwilioException e) {
      SendResult result = TwilioErrorClassifier.classify(e);
      log.info("Twilio did not accept {}: {}", call, result.summary());
      return result;
    }
  }

  /** Sends the content template to {@code whatsapp:+…}, without a body. */
  @Override
  public SendResult sendWhatsApp(OutgoingWhatsApp message) {
    try {
      MessageCreator creator =
          Message.creator(
                  new PhoneNumber(OutgoingWhatsApp.PREFIX + message.to()),
                  new PhoneNumber(OutgoingWhatsApp.PREFIX + message.from()),
                  (String) null)
              .setContentSid(message.contentSid())
              .setContentVariables(message.contentVariables());
      if (message.statusCallback() != null) {
        creator.setStatusCallback(message.statusCallback());
      }
      Message created = creator.create(client);
      String status = created.getStatus() == null ? null : created.getStatus().toString();
      log.debug("Twilio accepted {} as {} ({})", message, created.getSid(), status);
      return new SendResult.Accepted(created.getSid(), status);
    } catch (TwilioException e) {
      SendResult result = TwilioErrorClassifier.classify(e);
      log.info("Twilio did not accept {}: {}", message, result.summary());
      return result;
    }
  }

  /**
   * Lists the recipient's messages from the sender and returns the first whose text matches. First
   * with Twilio's {@code DateSent>} filter from the query's day (UTC, inclusive, a day's
   * resolution, so a lookup across midnight still covers the send); then, because a message Twilio
   * accepted but has not sent yet (queued behind the account's rate) has no date sent and escapes
   * that filter, without a date filter, skipping messages created more than a day before the query.
   * At most {@value #MAX_LOOKUP_PAGES} pages of {@value #LOOKUP_PAGE_SIZE} each time: a recipient
   * with more messages than that is not a double opt-in flow.
   */
  @Override
  public LookupResult findSent(SentMessageQuery query) {
    ZonedDateTime day = query.since().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    try {
      Optional<Message> found = find(reader(query).setDateSentAfter(day), query, null);
      if (found.isEmpty()) {
        found = find(reader(query), query, query.since().minus(Duration.ofDays(1)));
      }
      if (found.isEmpty()) {
        return new LookupResult.NotFound();
      }
      Message message = found.get();
      String status = message.getStatus() == null ? null : message.getStatus().toString();
      log.info("Twilio already holds {} for {} ({})", message.getSid(), query, status);
      return new LookupResult.Found(message.getSid(), status);
    } catch (TwilioException e) {
      SendResult result = TwilioErrorClassifier.classify(e);
      log.info("Twilio could not list messages for {}: {}", query, result.summary());
      return new LookupResult.Failed(result);
    }
  }

  private static MessageReader reader(SentMessageQuery query) {
    MessageReader reader =
        Message.reader().setTo(new PhoneNumber(query.to())).setPageSize((long) LOOKUP_PAGE_SIZE);
    if (query.from() != null) {
      reader.setFrom(new PhoneNumber(query.from()));
    }
    return reader;
  }

  private Optional<Message> find(MessageReader reader, SentMessageQuery query, Instant notBefore) {
    Page<Message> page = reader.firstPage(client);
    for (int pages = 1; ; pages++) {
      for (Message message : page.getRecords()) {
        boolean recentEnough =
            notBefore == null
                || message.getDateCreated() == null
                || !message.getDateCreated().toInstant().isBefore(notBefore);
        if (recentEnough
            && message.getBody() != null
            && query.bodyMatches().test(message.getBody())) {
          return Optional.of(message);
        }
      }
      if (!page.hasNextPage() || pages >= MAX_LOOKUP_PAGES) {
        return Optional.empty();
      }
      page = reader.nextPage(page, client);
    }
  }

  private MessageCreator creator(OutgoingSms sms) {
    PhoneNumber to = new PhoneNumber(sms.to());
    MessageCreator creator =
        sms.from() != null
            ? Message.creator(to, new PhoneNumber(sms.from()), sms.body())
            : Message.creator(to, sms.messagingServiceSid(), sms.body());
    if (sms.statusCallback() != null) {
      creator.setStatusCallback(sms.statusCallback());
    }
    return creator;
  }

  @Override
  public void close() {
    TwilioClients.close(client);
  }
}
