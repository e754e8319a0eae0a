package io.optin.devkit.sandbox;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One call the sandbox placed through the Calls API, with what the callee heard so far.
 *
 * @param status Twilio's call status: queued, ringing, in-progress, completed
 * @param spoken the {@code <Say>} texts heard, in order, the answers to key presses included
 * @param gather the {@code <Gather>} listening for keys right now, or null
 * @param keys every key pressed, in order
 * @param statusCallback where status changes are reported, or null
 * @param callbackEvents the {@code StatusCallbackEvent}s asked for (Twilio's default: completed)
 * @param answeredAt when the callee picked up, or null
 */
public record SandboxCall(
    String sid,
    String accountSid,
    String from,
    String to,
    String status,
    List<VoiceTwiml.Said> spoken,
    VoiceTwiml.Gather gather,
    String keys,
    URI statusCallback,
    Set<String> callbackEvents,
    Instant dateCreated,
    Instant dateUpdated,
    Instant answeredAt) {

  public static final String QUEUED = "queued";
  public static final String RINGING = "ringing";
  public static final String IN_PROGRESS = "in-progress";
  public static final String COMPLETED = "completed";

  private static final SecureRandom RANDOM = new SecureRandom();

  public SandboxCall {
    spoken = List.copyOf(spoken);
    callbackEvents = Set.copyOf(callbackEvents);
  }

  /** "CA" and 32 hex digits, like Twilio's call sids. */
  static String newSid() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "CA" + HexFormat.of().formatHex(bytes);
  }

  /** The spoken texts alone, in order. */
  public List<String> spokenTexts() {
    return spoken.stream().map(VoiceTwiml.Said::text).toList();
  }

  /** Whether the callee is on the line and a {@code <Gather>} waits for keys. */
  public boolean awaitingKeys() {
    return IN_PROGRESS.equals(status) && gather != null;
  }

  SandboxCall withStatus(String newStatus, Instant at) {
    return new SandboxCall(
        sid,
        accountSid,
        from,
        to,
        newStatus,
        spoken,
        newStatus.equals(COMPLETED) ? null : gather,
        keys,
        statusCallback,
        callbackEvents,
        dateCreated,
        at,
        answeredAt == null && newStatus.equals(IN_PROGRESS) ? at : answeredAt);
  }

  /**
   * After a key press: the keys added, the answer's texts heard, its gather (or none) listening.
   */
  SandboxCall pressed(
      String digits, List<VoiceTwiml.Said> heard, VoiceTwiml.Gather next, Instant at) {
    List<VoiceTwiml.Said> all = new ArrayList<>(spoken);
    all.addAll(heard);
    return new SandboxCall(
        sid,
        accountSid,
        from,
        to,
        status,
        all,
        next,
        keys + digits,
        statusCallback,
        callbackEvents,
        dateCreated,
        at,
        answeredAt);
  }
}
