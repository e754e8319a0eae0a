package io.optin.schemas;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.DeadLetter;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.IntakeClaim;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SubjectDataKey;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.avro.VerificationAttempt;
import io.optin.schemas.Topic.CleanupPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The topic catalogue (docs/flow.md, docs/architecture.md): the only place in the code base that
 * spells a topic name.
 */
public final class Topics {

  private static final String PHONE_KEY = "phone (E.164)";
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration MONTH = Duration.ofDays(30);

  // The topics with a second writer, and why each stays: the catalogue's exceptions to "one writer
  // per topic". docs/architecture.md lists them from here (a test keeps the two equal).

  /**
   * The dispatcher screens the records produced straight to the signup topic, which never passed
   * the ingest's door. Its refusals (unreadable, invalid, keyed by anything but their phone) are
   * refused signups like the ingest's, read by the audit sink and by operators on this one topic; a
   * single writer would mean moving them to another topic, or letting the ingest publish invalid
   * signups for the dispatcher to refuse: either changes what a topic carries.
   */
  private static final String REJECTS_OF_RECORDS_PRODUCED_STRAIGHT =
      "refuses the records produced straight to optin.signup-requests.v1, which never passed the"
          + " ingest; they are refused signups like the ingest's, and the audit sink and operators"
          + " read them here";

  /**
   * Only the reply processor knows when a challenge ends (confirmed, expired, rejected, locked). A
   * challenge's whole life is one phone-keyed stream, in order, that the dispatcher (to free the
   * phone for a new challenge) and the audit sink read; closures on a topic of their own would
   * change what {@code optin.challenges.v1} means to every reader.
   */
  private static final String CLOSURES_BY_THE_REPLY_PROCESSOR =
      "writes the CLOSED event of each challenge: only it knows when a challenge ends, and the"
          + " dispatcher and the audit sink read a challenge's whole life, in order, from this one"
          + " phone-keyed topic";

  /**
   * The dispatcher and its SMS sender, the reply processor and the audit sink each park the input
   * records they cannot process on the one dead-letter topic, each record naming its application,
   * so an operator watches one topic rather than one per service.
   */
  private static final String DEAD_LETTERS_OF_EVERY_SERVICE =
      "dead-letters the input records it cannot process: one topic for an operator to watch, each"
          + " record naming its application";

  public static final Topic<SignupRequested> SIGNUP_REQUESTS =
      new Topic<>(
              "optin.signup-requests.v1",
              SignupRequested.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.SIGNUP_INGEST);
  public static final Topic<SignupRejected> SIGNUP_REJECTS =
      new Topic<>(
              "optin.signup-rejects.v1",
              SignupRejected.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              "original key")
          .writtenBy(Writer.SIGNUP_INGEST)
          .alsoWrittenBy(Writer.OTP_DISPATCHER, REJECTS_OF_RECORDS_PRODUCED_STRAIGHT);

  /**
   * The signup front door's shared limits (ingest-internal): every ingest instance claims each
   * signup here and applies every claim in log order, so the velocity limits and idempotency keys
   * hold once across instances. One partition, for one total order. Kept two days, a day more than
   * the default {@code ingest.idempotency.ttl} (the longest window a restarted instance reads back;
   * {@code optin topics create} keeps it a day past a longer ttl). It holds the phone and IP in
   * clear like the signup topic, for a shorter time.
   */
  public static final Topic<IntakeClaim> INTAKE_CLAIMS =
      new Topic<>(
              "optin.intake-claims.v1",
              IntakeClaim.class,
              CleanupPolicy.DELETE,
              Duration.ofDays(2),
              false,
              "the constant \"claims\" (one partition, one order)")
          .withPartitions(1)
          .writtenBy(Writer.SIGNUP_INGEST);

  public static final Topic<ChallengeEvent> CHALLENGES =
      new Topic<>(
              "optin.challenges.v1",
              ChallengeEvent.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.OTP_DISPATCHER)
          .alsoWrittenBy(Writer.REPLY_PROCESSOR, CLOSURES_BY_THE_REPLY_PROCESSOR);
  public static final Topic<SmsSendRequested> SMS_OUTBOUND =
      new Topic<>(
              "optin.sms-outbound.v1",
              SmsSendRequested.class,
              CleanupPolicy.DELETE,
              WEEK,
              true,
              PHONE_KEY)
          .writtenBy(Writer.OTP_DISPATCHER);
  public static final Topic<SmsDeliveryReport> SMS_DELIVERY =
      new Topic<>(
              "optin.sms-delivery.v1",
              SmsDeliveryReport.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.OTP_DISPATCHER);

  /**
   * The sender's send intents, committed before each provider call so that a restarted sender looks
   * up at the provider, rather than texts again, a command whose report it never committed. Keyed
   * by phone like the outbox and the reports: an intent lands in the partition number of its
   * command, so the sender that takes over an outbox partition finds every intent and report of its
   * commands in the same partition of these two topics. Kept 8 days, a day more than the outbox
   * (7): every command that can still be read again has its intents.
   */
  public static final Topic<SmsSendIntent> SMS_INTENTS =
      new Topic<>(
              "optin.sms-intents.v1",
              SmsSendIntent.class,
              CleanupPolicy.DELETE,
              Duration.ofDays(8),
              true,
              PHONE_KEY)
          .writtenBy(Writer.OTP_DISPATCHER);

  public static final Topic<InboundSms> SMS_INBOUND =
      new Topic<>(
              "optin.sms-inbound.v1",
              InboundSms.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.REPLY_PROCESSOR);
  public static final Topic<VerificationAttempt> VERIFICATION_ATTEMPTS =
      new Topic<>(
              "optin.verification-attempts.v1",
              VerificationAttempt.class,
              CleanupPolicy.DELETE,
              WEEK,
              true,
              PHONE_KEY)
          .writtenBy(Writer.REPLY_PROCESSOR);

  /**
   * The programs each program-scoped STOP opted out of, as the reply processor applied it (only it
   * knows which challenges a STOP answered), keyed by phone so that the audit sink reads it in the
   * partition of the phone's other steps and its ledger names the programs a STOP revoked.
   */
  public static final Topic<ProgramOptOut> PROGRAM_OPT_OUTS =
      new Topic<>(
              "optin.program-opt-outs.v1",
              ProgramOptOut.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.REPLY_PROCESSOR);

  /**
   * One record per confirmed challenge (a phone confirmed in two programs has two records under its
   * key), so compaction would keep only a phone's last confirmation: kept a month like the other
   * flow events instead. The table of who is subscribed is {@link #SUBSCRIBER_STATUS}; an erasure
   * writes a tombstone for the phone here too, for the sinks that delete on it.
   */
  public static final Topic<SubscriberConfirmed> CONFIRMED_SUBSCRIBERS =
      new Topic<>(
              "optin.confirmed-subscribers.v1",
              SubscriberConfirmed.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              PHONE_KEY)
          .writtenBy(Writer.REPLY_PROCESSOR);

  /**
   * Topic configs that bound how long a compacted topic keeps a key's older records once a
   * tombstone for it was written (an erasure): segments roll daily, a record is compacted within a
   * week, and the tombstone itself stays a week, long enough for a sink that was down for days to
   * read it and delete its row. The phone leaves the log within about 15 days (docs/privacy.md).
   */
  public static final Map<String, String> ERASABLE_COMPACTION =
      Map.of(
          "min.compaction.lag.ms", "0",
          "max.compaction.lag.ms", Long.toString(WEEK.toMillis()),
          "segment.ms", Long.toString(Duration.ofDays(1).toMillis()),
          "delete.retention.ms", Long.toString(WEEK.toMillis()));

  public static final Topic<SubscriberStatus> SUBSCRIBER_STATUS =
      new Topic<>(
              "optin.subscriber-status.v1",
              SubscriberStatus.class,
              CleanupPolicy.COMPACT,
              Topic.INFINITE,
              false,
              "programId:phone")
          .withConfigs(ERASABLE_COMPACTION)
          .writtenBy(Writer.REPLY_PROCESSOR);

  /**
   * The consent ledger. Co-partitioned: the audit task of input partition p is the only writer of
   * ledger partition p, so its order is one writer's order (docs/ledger.md). Never compacted, kept
   * forever by default.
   */
  public static final Topic<ConsentAuditRecord> CONSENT_AUDIT =
      new Topic<>(
              "optin.consent-audit.v1",
              ConsentAuditRecord.class,
              CleanupPolicy.DELETE,
              Topic.INFINITE,
              true,
              "keyed hash of the phone (subjectKey); null for checkpoints")
          .writtenBy(Writer.AUDIT_SINK);

  /**
   * Latest signed checkpoint of each ledger partition (audit-internal, written by the audit sink).
   */
  public static final Topic<LedgerCheckpoint> CONSENT_CHECKPOINTS =
      new Topic<>(
              "optin.consent-checkpoints.v1",
              LedgerCheckpoint.class,
              CleanupPolicy.COMPACT,
              Topic.INFINITE,
              false,
              "ledger partition number (decimal)")
          .writtenBy(Writer.AUDIT_SINK);

  /**
   * Topic configs that make a compacted topic forget a tombstoned key fast: segments roll every
   * minute, any record may be compacted at once and must be within 10 minutes, and tombstones
   * themselves go after a minute. An erased subject's wrapped data key is thus gone from the log
   * within minutes, not weeks.
   */
  public static final Map<String, String> FAST_COMPACTION =
      Map.of(
          "min.compaction.lag.ms", "0",
          "max.compaction.lag.ms", "600000",
          "segment.ms", "60000",
          "delete.retention.ms", "60000",
          "min.cleanable.dirty.ratio", "0.01");

  /**
   * Per-subject data keys wrapped by the master key (audit-internal), partitioned by subjectKey
   * (Kafka's default partitioner). A tombstone is an erasure, compacted away fast.
   */
  public static final Topic<SubjectDataKey> CONSENT_KEYS =
      new Topic<>(
              "optin.consent-keys.v1",
              SubjectDataKey.class,
              CleanupPolicy.COMPACT,
              Topic.INFINITE,
              false,
              "keyed hash of the phone (subjectKey)")
          .withConfigs(FAST_COMPACTION)
          .writtenBy(Writer.AUDIT_SINK);

  /**
   * Right-to-erasure requests, input of the audit sink and of the reply processor. Keyed by
   * subjectKey but written to the partition of the subject's phone, so the ledger partition's
   * writer and the reply task holding the phone's state see them; no personal data.
   */
  public static final Topic<ErasureRequested> CONSENT_ERASURES =
      new Topic<>(
              "optin.consent-erasures.v1",
              ErasureRequested.class,
              CleanupPolicy.DELETE,
              MONTH,
              true,
              "keyed hash of the phone (subjectKey), in the phone's partition")
          .writtenBy(Writer.AUDIT_SINK);

  /** Records of any other topic that a stream could not process, with the reason. */
  public static final Topic<DeadLetter> DEAD_LETTERS =
      new Topic<>(
              "optin.dead-letters.v1",
              DeadLetter.class,
              CleanupPolicy.DELETE,
              MONTH,
              false,
              "original key")
          .writtenBy(Writer.OTP_DISPATCHER)
          .alsoWrittenBy(Writer.REPLY_PROCESSOR, DEAD_LETTERS_OF_EVERY_SERVICE)
          .alsoWrittenBy(Writer.AUDIT_SINK, DEAD_LETTERS_OF_EVERY_SERVICE)
          .alsoWrittenBy(
              Writer.EVENT_WEBHOOKS,
              "dead-letters the events no endpoint acknowledged after the last retry, and the records it"
                  + " cannot decode: one topic for an operator to watch, each record naming its"
                  + " application");

  private static final List<Topic<?>> ALL =
      List.of(
          SIGNUP_REQUESTS,
          SIGNUP_REJECTS,
          INTAKE_CLAIMS,
          CHALLENGES,
          SMS_OUTBOUND,
          SMS_DELIVERY,
          SMS_INTENTS,
          SMS_INBOUND,
          VERIFICATION_ATTEMPTS,
          PROGRAM_OPT_OUTS,
          CONFIRMED_SUBSCRIBERS,
          SUBSCRIBER_STATUS,
          CONSENT_AUDIT,
          CONSENT_CHECKPOINTS,
          CONSENT_KEYS,
          CONSENT_ERASURES,
          DEAD_LETTERS);

  /**
   * The topics whose keys or values hold a phone number in clear (E.164), in catalogue order: what
   * an erasure cannot reach but by retention or compaction (docs/privacy.md lists them, a test
   * keeps the two equal). The ledger's topics are not among them: the ledger holds the phone only
   * sealed, and the others only keyed hashes.
   */
  private static final List<Topic<?>> PLAINTEXT_PHONE =
      List.of(
          SIGNUP_REQUESTS,
          SIGNUP_REJECTS,
          INTAKE_CLAIMS,
          CHALLENGES,
          SMS_OUTBOUND,
          SMS_DELIVERY,
          SMS_INTENTS,
          SMS_INBOUND,
          VERIFICATION_ATTEMPTS,
          PROGRAM_OPT_OUTS,
          CONFIRMED_SUBSCRIBERS,
          SUBSCRIBER_STATUS,
          DEAD_LETTERS);

  private Topics() {}

  /** The topics holding a phone in clear (docs/privacy.md), in catalogue order. */
  public static List<Topic<?>> withPlaintextPhone() {
    return PLAINTEXT_PHONE;
  }

  /**
   * Every topic of the product, in the order of the flow (docs/flow.md), the ledger's own topics,
   * then the dead letters.
   */
  public static List<Topic<?>> all() {
    return ALL;
  }

  /** The topics {@code module} writes, as their writer or as another writer, in catalogue order. */
  public static List<Topic<?>> writtenBy(Writer module) {
    return ALL.stream().filter(topic -> topic.writers().contains(module)).toList();
  }
}
