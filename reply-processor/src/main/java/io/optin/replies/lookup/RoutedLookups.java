package io.optin.replies.lookup;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.http.PeerClient;
import io.optin.kit.http.PeerClient.Answer;
import io.optin.kit.http.PeerClient.PeerUnavailableException;
import io.optin.kit.streams.JsonSerde;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.streams.KeyOwners.Local;
import io.optin.kit.streams.KeyOwners.Owner;
import io.optin.kit.streams.KeyOwners.Remote;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.PhoneStatuses;
import io.optin.replies.matching.ProgramStatus;
import io.optin.replies.matching.ReplyStores;
import io.optin.replies.matching.SettledCodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes and statuses read from the instance that owns the phone's partition: this one's stores
 * when it owns it, otherwise the owner's internal routes ({@value #OUTCOMES_PATH}, {@value
 * #STATUSES_PATH}) over HTTP. Never a wrong answer: while no owner is known (a rebalance) or the
 * owner cannot be asked, a status is unavailable (503) and an outcome is sought again until the
 * wait ends, then not known (the answer is recorded all the same and decided later).
 *
 * <p>Outcomes are stored by answer id, but in the task of the phone's partition: the phone is the
 * key the owner is found by.
 */
public final class RoutedLookups implements OutcomeAnswers, StatusLookup {

  /**
   * {@code GET /internal/v1/outcomes/{id}?phone=&waitMillis=[&programId=&codeHash=]}: 200 its text
   * (or, for a code attempt, {@code ALREADY_CONFIRMED} as soon as its code is settled), 204 not
   * decided.
   */
  public static final String OUTCOMES_PATH = "/internal/v1/outcomes/";

  /** {@code GET /internal/v1/statuses/{phone}}: 200 the phone's statuses as JSON. */
  public static final String STATUSES_PATH = "/internal/v1/statuses/";

  /**
   * {@code GET /internal/v1/settled-codes/{phone}?programId=&codeHash=}: 200 the outcome's text,
   * 204 none settled.
   */
  public static final String SETTLED_CODES_PATH = "/internal/v1/settled-codes/";

  /** Between two attempts to find or reach the owner while an outcome is awaited. */
  static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  /** Longest wait for an owner's statuses (a store read, no wait on the topology). */
  static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

  /** Added to a long poll's wait for the owner's answer to travel back. */
  private static final Duration POLL_SLACK = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RoutedLookups.class);
  private static final JsonSerde<PhoneStatuses> STATUSES = new JsonSerde<>(PhoneStatuses.class);

  private final KeyOwners owners;
  private final StoreLookups local;
  private final OutcomeWait localWait;
  private final PeerClient peers;
  private final OtpCodes codes;
  private final Duration max;

  /**
   * @param localWait waits for outcomes this instance decides (woken by its topology)
   * @param max how long an outcome is awaited in all ({@code replies.answer.wait})
   */
  public RoutedLookups(
      KeyOwners owners,
      StoreLookups local,
      OutcomeWait localWait,
      PeerClient peers,
      OtpCodes codes,
      Duration max) {
    this.owners = owners;
    this.local = local;
    this.localWait = localWait;
    this.peers = peers;
    this.codes = codes;
    this.max = max;
  }

  /** Asks the owner's challenges once; empty when no owner is known or it cannot be asked. */
  @Override
  public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
    Owner owner = owners.ownerOf(ReplyStores.CHALLENGES, phone);
    try {
      if (owner instanceof Local here) {
        return SettledCodes.alreadyConfirmed(
            local.challenges(phone, here.partition()), codes, programId, codeHash);
      }
      if (owner instanceof Remote remote) {
        Answer answer =
            peers.get(
                remote.url(),
                SETTLED_CODES_PATH
                    + encode(phone)
                    + "?programId="
                    + encode(programId)
                    + "&codeHash="
                    + encode(codeHash),
                STATUS_TIMEOUT);
        if (answer.status() == 200) {
          return Optional.of(Outcome.parse(new String(answer.body(), StandardCharsets.UTF_8)));
        }
        LOG.debug("owner {} answered {} for a settled code", remote.url(), answer.status());
      }
    } catch (LookupUnavailableException | PeerUnavailableException e) {
      LOG.debug("settled code of {} not known: {}", PhoneMask.mask(phone), e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public boolean ownerKnown(String phone) {
    return !(owners.ownerOf(ReplyStores.OUTCOMES, phone) instanceof KeyOwners.Unknown);
  }

  @Override
  public Optional<Outcome> await(String phone, String id) {
    return await(phone, id, null);
  }

  /**
   * The owner ends its wait as soon as the code is settled ({@code programId} and {@code codeHash}
   * ride on the one long poll, so nothing is polled over HTTP). An owner that ignores them (an
   * older release) waits for the attempt only: its settled code is asked once after the wait, as is
   * the new owner's when the phone moved.
   */
  @Override
  public Optional<Outcome> awaitCode(String phone, String id, String programId, String codeHash) {
    Optional<Outcome> outcome = await(phone, id, new CodeEntry(programId, codeHash));
    return outcome.isPresent() ? outcome : settledCode(phone, programId, codeHash);
  }

  /** What a code attempt's wait ends on too, besides its own outcome. */
  private record CodeEntry(String programId, String codeHash) {}

  /**
   * @param code the attempt's code, whose settling ends the wait; null for any other answer
   */
  private Optional<Outcome> await(String phone, String id, CodeEntry code) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.isNegative() || left.isZero()) {
        return Optional.empty();
      }
      Owner owner = owners.ownerOf(ReplyStores.OUTCOMES, phone);
      if (owner instanceof Local) {
        return code == null
            ? localWait.await(id, left)
            : localWait.awaitCode(phone, id, code.programId(), code.codeHash(), left);
      }
      if (owner instanceof Remote remote) {
        try {
          Answer answer =
              peers.get(
                  remote.url(),
                  OUTCOMES_PATH
                      + encode(id)
                      + "?phone="
                      + encode(phone)
                      + "&waitMillis="
                      + left.toMillis()
                      + (code == null
                          ? ""
                          : "&programId="
                              + encode(code.programId())
                              + "&codeHash="
                              + encode(code.codeHash())),
                  left.plus(POLL_SLACK));
          if (answer.status() == 200) {
            return Optional.of(Outcome.parse(new String(answer.body(), StandardCharsets.UTF_8)));
          }
          if (answer.status() == 204) {
            return Optional.empty();
          }
          // 503: the partition moved away from it, or it is busy; find the owner again.
          LOG.debug("owner {} answered {} for outcome {}", remote.url(), answer.status(), id);
        } catch (PeerUnavailableException e) {
          if (e.busy()) {
            return Optional.empty();
          }
          LOG.debug("owner of outcome {} not reached: {}", id, e.getMessage());
        }
      }
      if (!pause(deadline)) {
        return Optional.empty();
      }
    }
  }

  /**
   * @throws LookupUnavailableException while no owner is known, or the owner cannot be asked
   */
  @Override
  public Map<String, ProgramStatus> statuses(String phone) {
    Owner owner = owners.ownerOf(ReplyStores.SUBSCRIBER_STATUS, phone);
    if (owner instanceof Local here) {
      return local.statuses(phone, here.partition());
    }
    if (owner instanceof Remote remote) {
      Answer answer;
      try {
        answer = peers.get(remote.url(), STATUSES_PATH + encode(phone), STATUS_TIMEOUT);
      } catch (PeerUnavailableException e) {
        throw new LookupUnavailableException("owner not reached: " + e.getMessage(), e);
      }
      if (answer.status() != 200) {
        throw new LookupUnavailableException("owner answered " + answer.status());
      }
      PhoneStatuses statuses = STATUSES.deserializer().deserialize(null, answer.body());
      return statuses == null ? Map.of() : statuses.programs();
    }
    throw new LookupUnavailableException("no owner known for the phone's partition");
  }

  /** The statuses of a phone as {@link #STATUSES_PATH} answers them. */
  public static byte[] statusesJson(Map<String, ProgramStatus> statuses) {
    return STATUSES.serializer().serialize(null, new PhoneStatuses(statuses));
  }

  private static boolean pause(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, RETRY_PAUSE.toNanos()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
