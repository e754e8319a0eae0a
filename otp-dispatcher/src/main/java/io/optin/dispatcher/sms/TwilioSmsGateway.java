package io.optin.dispatcher.sms;

import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an SMS through Twilio's Messages API with twilio-java: one HTTP request per {@link #send},
 * the outcome as a {@link SendResult}.
 */
public final class TwilioSmsGateway implements SmsGateway, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TwilioSmsGateway.class);

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
