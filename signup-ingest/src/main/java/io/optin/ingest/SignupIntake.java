package io.optin.ingest;

import io.optin.avro.ClaimKind;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.IntakeClaim;
import io.optin.avro.OptInStatus;
import io.optin.avro.SignupRequested;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.domain.screening.PhoneCheck;
import io.optin.domain.screening.PhoneNormalizer;
import io.optin.domain.screening.ScreenResult;
import io.optin.domain.screening.SignupScreen;
import io.optin.ingest.IntakeClaims.ClaimsUnavailable;
import io.optin.ingest.SignupSubmission.InvalidSignup;
import io.optin.ingest.VelocityLimits.Verdict;
import io.optin.kit.kafka.PublishException;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one signup submission: a valid, allowed, unlimited signup of a phone that is neither
 * confirmed nor opted out is published (keyed by E.164) and answered 202 only after the broker's
 * ack; anything else is refused with the exact field, and recorded as a reject.
 *
 * <p>Order: body, replay of a key this instance knows answered (before anything that could change
 * the answer), a program outside {@code programs.allowed} (when set), phone and country, the {@link
 * SignupScreen}, standing (409), a prefix blocked by the {@link PumpingGuard} (429), then the
 * claim: the first claim of a key wins it (later ones replay its answer), and velocity per phone,
 * IP, number prefix and country (429, so a refused signup spends no token), publish. The claims are
 * {@link IntakeClaims}: judged alike by every instance through {@code optin.intake-claims.v1}, or
 * by this instance alone. {@code source.ip} is the subscriber's IP as the platform saw it; it is
 * never defaulted to the caller's address, which is the platform's server and would be false
 * evidence (and throttle the whole platform).
 */
public final class SignupIntake {

  private static final Logger LOG = LoggerFactory.getLogger(SignupIntake.class);

  /** Screen fields (record paths) named as the request fields of docs/signups.md. */
  private static final Map<String, String> REQUEST_FIELDS =
      Map.ofEntries(
          Map.entry("evidence.consentText", "consentText"),
          Map.entry("evidence.consentTextSha256", "consentText"),
          Map.entry("evidence.consentTextVersion", "consentTextVersion"),
          Map.entry("evidence.channel", "source.channel"),
          Map.entry("evidence.pageUrl", "source.url"),
          Map.entry("evidence.ip", "source.ip"),
          Map.entry("evidence.userAgent", "source.userAgent"),
          Map.entry("evidence.locale", "locale"));

  static final String BLOCKED_REASON =
      "number prefix blocked: low confirmation rate (possible SMS pumping)";

  /** How soon to retry a signup the shared limits could not judge in time. */
  private static final Duration RETRY_UNJUDGED = Duration.ofSeconds(1);

  /** The {@code limit} label of a signup refused because its prefix is blocked. */
  static final String BLOCKED_PREFIX = "blocked_prefix";

  private final IngestSettings settings;
  private final PhoneNormalizer phones;
  private final SignupScreen screen;
  private final IntakeClaims claims;
  private final PrefixRule prefixes;
  private final PumpingGuard pumping;
  private final SubscriberStatusView statuses;
  private final SignupLog signups;
  private final RecordPublisher publisher;
  private final SignupRejects rejects;
  private final Clock clock;
  private final Supplier<String> signupIds;
  private final OptinMetrics metrics;

  /**
   * @param statuses the standing of phones, followed from the status topic
   * @param pumping the guard fed with the same topic's transitions (made with these settings' rule
   *     and prefix)
   * @param metrics where answers (by status) and velocity-limit trips (by limit) are counted
   */
  public SignupIntake(
      IngestSettings settings,
      RecordPublisher publisher,
      SubscriberStatusView statuses,
      PumpingGuard pumping,
      Clock clock,
      OptinMetrics metrics) {
    this(
        settings,
        new LocalIntakeClaims(new ClaimBook(settings)),
        SignupLog.UNKNOWN,
        publisher,
        statuses,
        pumping,
        clock,
        metrics);
  }

  /**
   * @param claims where the limits and idempotency keys are judged
   * @param signups where a signup whose delivery timed out is looked for
   */
  SignupIntake(
      IngestSettings settings,
      IntakeClaims claims,
      SignupLog signups,
      RecordPublisher publisher,
      SubscriberStatusView statuses,
      PumpingGuard pumping,
      Clock clock,
      OptinMetrics metrics) {
    this(
        settings,
        new PhoneNormalizer(),
        claims,
        signups,
        publisher,
        statuses,
        pumping,
        clock,
        () -> UUID.randomUUID().toString(),
        metrics);
  }

  SignupIntake(
      IngestSettings settings,
      PhoneNormalizer phones,
      RecordPublisher publisher,
      SubscriberStatusView statuses,
      PumpingGuard pumping,
      Clock clock,
      Supplier<String> signupIds,
      OptinMetrics metrics) {
    this(
        settings,
        phones,
        new LocalIntakeClaims(new ClaimBook(settings)),
        SignupLog.UNKNOWN,
        publisher,
        statuses,
        pumping,
        clock,
        signupIds,
        metrics);
  }

  SignupIntake(
      IngestSettings settings,
      PhoneNormalizer phones,
      IntakeClaims claims,
      SignupLog signups,
      RecordPublisher publisher,
      SubscriberStatusView statuses,
      PumpingGuard pumping,
      Clock clock,
      Supplier<String> signupIds,
      OptinMetrics metrics) {
    this.metrics = metrics;
    this.settings = settings;
    this.phones = phones;
    this.screen = new SignupScreen(phones);
    this.claims = claims;
    this.signups = signups;
    this.prefixes = settings.prefixRule();
    this.pumping = pumping;
    this.statuses = statuses;
    this.publisher = publisher;
    this.rejects = new SignupRejects(publisher, clock);
    this.clock = clock;
    this.signupIds = signupIds;
  }

  /** Answers a body too large to read (413), recording the refusal without the body. */
  public SignupAnswer oversized(int maxBytes) {
    return counted(refuse(413, "body is larger than " + maxBytes + " bytes", null, null, null));
  }

  /** Decides one body of {@code POST /v1/signups}. */
  public SignupAnswer submit(byte[] body) {
    return counted(answer(body));
  }

  private SignupAnswer counted(SignupAnswer answer) {
    metrics.signupAnswered(answer.status());
    return answer;
  }

  private SignupAnswer answer(byte[] body) {
    SignupSubmission submission;
    try {
      submission = SignupSubmission.parse(body);
    } catch (InvalidSignup invalid) {
      return refuse(400, invalid.getMessage(), invalid.field(), body, null);
    }
    if (submission.idempotencyKey() == null) {
      return decide(submission, body, null);
    }
    if (submission.idempotencyKey().length() > SignupScreen.MAX_ID) {
      return refuse(
          400,
          "idempotencyKey is longer than " + SignupScreen.MAX_ID + " characters",
          "idempotencyKey",
          body,
          null);
    }
    String keyHash = keyHash(submission.programId().strip(), submission.idempotencyKey().strip());
    // An answered key stays answered until it expires: no need to claim it again.
    Optional<String> answered = claims.answerOf(keyHash, Duration.ZERO, clock.instant());
    if (answered.isPresent()) {
      return SignupAnswer.pending(answered.get());
    }
    return decide(submission, body, keyHash);
  }

  /** Hex SHA-256 of the program, a NUL and the key: one fixed-size key per program and key. */
  static String keyHash(String programId, String idempotencyKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(
              sha256.digest(
                  (programId + '\u0000' + idempotencyKey).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JRE", e);
    }
  }

  private SignupAnswer decide(SignupSubmission submission, byte[] body, String keyHashOrNull) {
    if (!settings.allowsProgram(submission.programId().strip())) {
      return refuse(400, "programId is not a declared program", "programId", body, null);
    }
    PhoneCheck check = phones.normalize(submission.phone(), submission.country());
    if (check instanceof PhoneCheck.Invalid invalid) {
      return refuse(400, invalid.reason(), invalid.field(), body, null);
    }
    PhoneCheck.Valid phone = (PhoneCheck.Valid) check;
    if (!settings.allowsCountry(phone.regionCode())) {
      return refuse(403, "country not allowed", "phone", body, phone.e164());
    }
    ScreenResult screened = screen.screen(signupOf(submission, phone.e164()));
    if (screened instanceof ScreenResult.Refused refused) {
      return refuse(
          400, requestWording(refused.reason()), requestField(refused.field()), body, phone.e164());
    }
    SignupRequested signup = ((ScreenResult.Accepted) screened).signup();
    if (statuses.isOptedOut(signup.getPhone())) {
      return standingRefusal(
          "phone opted out: it must text START first",
          signup,
          phone.regionCode(),
          keyHashOrNull,
          body);
    }
    Optional<OptInStatus> status = statuses.status(signup.getProgramId(), signup.getPhone());
    if (status.filter(s -> s == OptInStatus.CONFIRMED).isPresent()) {
      return standingRefusal(
          "phone already confirmed for this program",
          signup,
          phone.regionCode(),
          keyHashOrNull,
          body);
    }
    Optional<PumpingGuard.Block> blocked = pumping.blockOf(signup.getPhone());
    if (blocked.isPresent()) {
      metrics.velocityLimitTripped(BLOCKED_PREFIX);
      return tooMany(
          BLOCKED_REASON,
          "phone",
          Duration.between(clock.instant(), blocked.get().until()),
          body,
          signup.getPhone());
    }
    return judged(signup, phone.regionCode(), keyHashOrNull, body, true, true);
  }

  /**
   * The phone's standing refuses the signup (409). But a repeat of a key whose first signup was
   * never settled may be asking about that very signup: published just before its instance died,
   * then confirmed. The key is settled first (in flight: wait for it; abandoned: ask the log), so
   * the platform gets the first's 202 rather than a 409 about its own signup; nothing new is
   * published.
   */
  private SignupAnswer standingRefusal(
      String reason, SignupRequested signup, String region, String keyHashOrNull, byte[] body) {
    if (keyHashOrNull != null && claims.unsettled(keyHashOrNull)) {
      SignupAnswer settled = judged(signup, region, keyHashOrNull, body, true, false);
      if (settled != null) {
        return settled;
      }
    }
    return refuse(409, reason, "phone", body, signup.getPhone());
  }

  /**
   * Claims the signup's tokens and key, and answers as the claims judge it.
   *
   * @param mayTakeOver whether a key left by a claim never known published may be settled here
   * @param mayPublish false when only the key's answer is wanted: a claim that wins the key, or
   *     trips a limit, is released and null returned (the caller has its own answer)
   */
  private SignupAnswer judged(
      SignupRequested signup,
      String region,
      String keyHashOrNull,
      byte[] body,
      boolean mayTakeOver,
      boolean mayPublish) {
    IntakeClaim claim =
        IntakeClaim.newBuilder()
            .setClaimId(UUID.randomUUID().toString())
            .setKind(ClaimKind.CLAIM)
            .setSignupId(signup.getSignupId())
            .setProgramId(signup.getProgramId())
            .setPhone(signup.getPhone())
            .setIp(signup.getEvidence().getIp())
            .setPrefix(prefixes.prefixOf(signup.getPhone()))
            .setCountry(region)
            .setIdempotencyKeySha256(keyHashOrNull)
            .setClaimedAt(clock.instant())
            .build();
    ClaimBook.Verdict verdict;
    try {
      verdict = claims.judge(claim);
    } catch (ClaimsUnavailable e) {
      LOG.error(
          "signup {} for {} not judged by the shared limits; answered 503: {}",
          signup.getSignupId(),
          PhoneMask.mask(signup.getPhone()),
          e.getMessage());
      return SignupAnswer.unavailable(
          "the signup could not be checked against the limits; retry later", RETRY_UNJUDGED);
    }
    if (verdict instanceof ClaimBook.Verdict.Replay replay) {
      return SignupAnswer.pending(replay.signupId());
    }
    if (verdict instanceof ClaimBook.Verdict.Abandoned abandoned) {
      return mayTakeOver
          ? takeOver(abandoned.holder(claim), signup, region, body, mayPublish)
          : stillProcessing(RETRY_UNJUDGED);
    }
    if (verdict instanceof ClaimBook.Verdict.InFlight inFlight) {
      // Most often a retry racing its first attempt: wait for that one's answer. Should its
      // instance have died, a retry after freeAt settles the key from the log (takeOver).
      return claims
          .answerOf(keyHashOrNull, settings.claimTimeout(), clock.instant())
          .map(SignupAnswer::pending)
          .orElseGet(
              () ->
                  stillProcessing(
                      max(RETRY_UNJUDGED, Duration.between(clock.instant(), inFlight.freeAt()))));
    }
    if (!mayPublish) {
      claims.released(claim);
      return null;
    }
    if (verdict instanceof ClaimBook.Verdict.Tripped limit) {
      Verdict.Tripped tripped = limit.limit();
      metrics.velocityLimitTripped(tripped.limit());
      String field = tripped.limit().equals(Verdict.IP) ? "source.ip" : "phone";
      return tooMany(tripped.reason(), field, tripped.retryAfter(), body, signup.getPhone());
    }
    return publish(signup, region, claim);
  }

  /**
   * The key is held by a claim whose signup was never known published: its instance died between
   * sending the signup and saying so, or its {@code PUBLISHED} was lost. Freeing the key blindly
   * would publish a second signup when the first is in the log, so the log is asked: there, the
   * holder is settled {@code PUBLISHED} and its signupId answered; certainly not there, it is
   * settled {@code RELEASED} (sent before the new claim, so applied before it) and the signup is
   * claimed again; no answer, 503 and the key stays held.
   */
  private SignupAnswer takeOver(
      IntakeClaim holder, SignupRequested signup, String region, byte[] body, boolean mayPublish) {
    boolean written;
    try {
      written =
          signups
              .holds(
                  new SoughtSignup(
                      holder.getPhone(),
                      holder.getSignupId(),
                      holder.getClaimedAt(),
                      holder.getClaimedAt().plus(settings.publishTimeout())))
              .get(settings.publishTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stillProcessing(RETRY_UNJUDGED);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "signup {}: the claim holding its idempotency key was never settled, and the log could"
              + " not tell whether its signup {} was written; answered 503: {}",
          signup.getSignupId(),
          holder.getSignupId(),
          String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
      return stillProcessing(RETRY_UNJUDGED);
    }
    if (written) {
      LOG.info(
          "signup {}: the claim holding its idempotency key was never settled; its signup {} is"
              + " in the log, answered again",
          signup.getSignupId(),
          holder.getSignupId());
      claims.published(holder);
      return SignupAnswer.pending(holder.getSignupId());
    }
    LOG.info(
        "signup {}: the claim holding its idempotency key was never settled and its signup {} is"
            + " not in the log; the key is claimed again",
        signup.getSignupId(),
        holder.getSignupId());
    claims.released(holder);
    return judged(signup, region, holder.getIdempotencyKeySha256(), body, false, mayPublish);
  }

  private static SignupAnswer stillProcessing(Duration retryAfter) {
    return SignupAnswer.unavailable(
        "a signup with this idempotencyKey is still being processed; retry later", retryAfter);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private SignupAnswer tooMany(
      String reason, String field, Duration retryAfter, byte[] body, String phone) {
    rejects.record(429, reason, field, body, phone);
    return SignupAnswer.tooManyRequests(reason, field, retryAfter);
  }

  private SignupAnswer publish(SignupRequested signup, String region, IntakeClaim claim) {
    CompletableFuture<Void> acked =
        publisher.send(Topics.SIGNUP_REQUESTS, signup.getPhone(), signup, null);
    // The key follows what became of the record, not of this answer: a record acknowledged after
    // the 503 is in the log, and a retry of its key must replay it rather than publish a second
    // signup. Off the producer's I/O thread: telling the claims may itself send.
    acked.whenCompleteAsync((written, failure) -> settle(claim, signup, failure));
    try {
      acked.get(settings.publishTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable(signup, e);
    } catch (ExecutionException e) {
      return unavailable(signup, e.getCause());
    } catch (TimeoutException e) {
      return unavailable(
          signup,
          new PublishException("no acknowledgement within " + settings.publishTimeout(), e));
    }
    metrics.signupAccepted(signup.getProgramId(), region);
    return SignupAnswer.pending(signup.getSignupId());
  }

  /**
   * Tells every instance what became of a claim's signup: published, or certainly not written (the
   * key is free again; the claim's tokens stay spent). A delivery timeout says neither, so the
   * signup log is asked; when it cannot tell, the key stays held until a later claim of it, past
   * the abandon time, asks again ({@link #takeOver}).
   */
  private void settle(IntakeClaim claim, SignupRequested signup, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause == null) {
      claims.published(claim);
    } else if (!(cause instanceof org.apache.kafka.common.errors.TimeoutException)) {
      claims.released(claim);
    } else {
      signups
          .holds(SoughtSignup.of(signup, clock.instant()))
          .whenComplete(
              (held, unknown) -> {
                if (unknown != null) {
                  LOG.warn(
                      "signup {}: delivery timed out and the log could not tell whether it was"
                          + " written; its idempotency key stays held until a retry asks again: {}",
                      signup.getSignupId(),
                      String.valueOf(unknown));
                } else if (held) {
                  claims.published(claim);
                } else {
                  claims.released(claim);
                }
              });
    }
  }

  private SignupAnswer unavailable(SignupRequested signup, Throwable cause) {
    LOG.error(
        "signup {} for {} could not be published; answered 503: {}",
        signup.getSignupId(),
        PhoneMask.mask(signup.getPhone()),
        String.valueOf(cause));
    return SignupAnswer.error(503, "the signup could not be recorded; retry later", null);
  }

  private SignupRequested signupOf(SignupSubmission s, String e164) {
    return SignupRequested.newBuilder()
        .setSignupId(signupIds.get())
        .setProgramId(s.programId())
        .setPhone(e164)
        .setOccurredAt(clock.instant())
        .setIdempotencyKey(s.idempotencyKey())
        .setFormEvidence(s.evidence())
        .setEvidence(
            ConsentEvidence.newBuilder()
                .setConsentText(s.consentText())
                .setConsentTextVersion(s.consentTextVersion())
                .setConsentTextSha256(ConsentTextHash.of(s.consentText()))
                .setChannel(s.channel())
                .setPageUrl(s.url())
                .setIp(s.ip())
                .setUserAgent(s.userAgent())
                .setLocale(s.locale())
                .build())
        .build();
  }

  private SignupAnswer refuse(
      int status, String reason, String field, byte[] body, String phoneOrNull) {
    rejects.record(status, reason, field, body, phoneOrNull);
    return SignupAnswer.error(status, reason, field);
  }

  private static String requestField(String screenField) {
    return REQUEST_FIELDS.getOrDefault(screenField, screenField);
  }

  /** The screen's reasons name record paths; callers know the request's names. */
  private static String requestWording(String reason) {
    String wording = reason;
    for (Map.Entry<String, String> names : REQUEST_FIELDS.entrySet()) {
      if (!names.getKey().endsWith("Sha256")) {
        wording = wording.replace(names.getKey(), names.getValue());
      }
    }
    return wording;
  }
}
