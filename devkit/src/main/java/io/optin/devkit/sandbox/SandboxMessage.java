package io.optin.devkit.sandbox;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One SMS the sandbox carried, in either direction, with its current status.
 *
 * @param direction "outbound-api" (sent through the API), "outbound-reply" (TwiML answer to a
 *     reply) or "inbound"
 * @param errorCode Twilio's delivery error code (30003…) when undelivered or failed, else null
 * @param statusCallback where status changes are reported, or null
 */
public record SandboxMessage(
    String sid,
    String accountSid,
    String direction,
    String from,
    String to,
    String messagingServiceSid,
    String body,
    String status,
    Integer errorCode,
    int numSegments,
    Instant dateCreated,
    Instant dateUpdated,
    URI statusCallback) {

  public static final String OUTBOUND_API = "outbound-api";
  public static final String OUTBOUND_REPLY = "outbound-reply";
  public static final String INBOUND = "inbound";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** "SM" and 32 hex digits, like Twilio's message sids. */
  static String newSid() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "SM" + HexFormat.of().formatHex(bytes);
  }

  public boolean inbound() {
    return INBOUND.equals(direction);
  }

  /**
   * The phone on the other side of optin's number: the recipient, or the sender of an inbound
   * message.
   */
  public String subscriberPhone() {
    return inbound() ? from : to;
  }

  SandboxMessage withStatus(String newStatus, Integer newErrorCode, Instant at) {
    return new SandboxMessage(
        sid,
        accountSid,
        direction,
        from,
        to,
        messagingServiceSid,
        body,
        newStatus,
        newErrorCode,
        numSegments,
        dateCreated,
        at,
        statusCallback);
  }
}
