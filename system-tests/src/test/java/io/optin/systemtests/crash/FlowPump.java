package io.optin.systemtests.crash;

import io.optin.avro.InboundSms;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SubscriberConfirmed;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * Flows driven at a steady pace through a fault: each {@link #step()} signs up the phones due by
 * then, lets the platform and Twilio retry what failed and the phones answer their codes, and reads
 * the committed confirmations, noting when their count last grew; the longest time without growth
 * while flows were open is the stall a fault caused.
 */
final class FlowPump {

  private final OutsideWorld world;
  private final CommittedRecords topics;
  private final int firstPhone;
  private final long nanosPerSignup;
  private final List<String> phones = new ArrayList<>();
  private final long startedAt = System.nanoTime();
  private boolean signingUp = true;
  private boolean readable = true;
  private Map<String, Long> confirmations = Map.of();
  private long lastProgress = System.nanoTime();
  private long longestStall;
  private long stallEndedAt;

  /**
   * @param firstPhone the first phone's number in the test's range (phones are +1415556NNNN)
   * @param signupsPerSecond the platform's pace
   */
  FlowPump(OutsideWorld world, CommittedRecords topics, int firstPhone, double signupsPerSecond) {
    this.world = world;
    this.topics = topics;
    this.firstPhone = firstPhone;
    this.nanosPerSignup = (long) (1e9 / signupsPerSecond);
  }

  /** One round of everyone outside optin; returns whether every flow signed up is confirmed. */
  boolean step() {
    long now = System.nanoTime();
    if (signingUp) {
      long due = (now - startedAt) / nanosPerSignup + 1;
      List<String> fresh = new ArrayList<>();
      while (phones.size() < due) {
        String phone = String.format("+1415556%04d", firstPhone + phones.size());
        phones.add(phone);
        fresh.add(phone);
      }
      world.signUp(fresh);
    }
    world.retrySignups();
    world.answerCodes(phones);
    Map<String, Long> read;
    try {
      read = readable ? countByPhone() : confirmations;
    } catch (RuntimeException e) {
      // A broker unreachable for the reader too: no progress seen in this round.
      read = confirmations;
    }
    now = System.nanoTime();
    int before = confirmations.size();
    confirmations = read;
    boolean open = confirmations.size() < phones.size();
    if (read.size() > before) {
      noteGap(now);
      lastProgress = now;
    } else if (!open) {
      lastProgress = now;
    } else {
      noteGap(now);
    }
    return !signingUp && !open;
  }

  /**
   * Whether the confirmations can be read (false while the only broker is down: the reader would
   * wait out its timeout).
   */
  void readable(boolean readable) {
    this.readable = readable;
  }

  private void noteGap(long now) {
    if (now - lastProgress > longestStall) {
      longestStall = now - lastProgress;
      stallEndedAt = now;
    }
  }

  /** The platform stops posting new signups; open flows go on. */
  void stopSigningUp() {
    signingUp = false;
  }

  /** Forgets the stalls seen so far: the next one measured is the fault's. */
  void resetStall() {
    longestStall = 0;
    lastProgress = System.nanoTime();
  }

  /** Seconds of the longest time without a new confirmation while flows were open. */
  double longestStallSeconds() {
    return longestStall / 1e9;
  }

  /** When the longest stall ended (System.nanoTime). */
  long stallEndedAt() {
    return stallEndedAt;
  }

  List<String> phones() {
    return List.copyOf(phones);
  }

  /** SubscriberConfirmed records by phone, as last read. */
  Map<String, Long> confirmations() {
    return confirmations;
  }

  /**
   * The flows still open, each with where it stands outside optin and how many records of it each
   * topic of the flow holds: what a failure must say to tell a lost record from a slow one.
   */
  String describeOpen() {
    List<String> open = phones.stream().filter(p -> !confirmations.containsKey(p)).toList();
    if (open.isEmpty()) {
      return "no open flow";
    }
    Map<String, Long> signups = count(Topics.SIGNUP_REQUESTS, SignupRequested::getPhone);
    Map<String, Long> commands = count(Topics.SMS_OUTBOUND, SmsSendRequested::getPhone);
    Map<String, Long> inbound = count(Topics.SMS_INBOUND, InboundSms::getPhone);
    return open.size()
        + " open flow(s): "
        + open.stream()
            .limit(20)
            .map(
                phone ->
                    String.format(
                        Locale.ROOT,
                        "%s [%s; on the topics: %d signup(s), %d SMS command(s), %d reply(ies)]",
                        phone,
                        world.stageOf(phone),
                        signups.getOrDefault(phone, 0L),
                        commands.getOrDefault(phone, 0L),
                        inbound.getOrDefault(phone, 0L)))
            .collect(Collectors.joining("; "));
  }

  private <V extends SpecificRecord> Map<String, Long> count(
      Topic<V> topic, Function<V, String> phone) {
    return topics.read(topic).stream().collect(Collectors.groupingBy(phone, Collectors.counting()));
  }

  private Map<String, Long> countByPhone() {
    return topics.read(Topics.CONFIRMED_SUBSCRIBERS).stream()
        .map(SubscriberConfirmed::getPhone)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
