package io.optin.webhooks;

/** The event types a platform receives (docs/webhooks.md). */
public final class EventTypes {

  public static final String SUBSCRIBER_CONFIRMED = "subscriber.confirmed";
  public static final String SUBSCRIBER_OPTED_OUT = "subscriber.opted_out";
  public static final String CHALLENGE_EXPIRED = "challenge.expired";
  public static final String SMS_FAILED = "sms.failed";
  public static final String SUBSCRIBER_ERASED = "subscriber.erased";

  private EventTypes() {}
}
