package io.optin.kit.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting optin knows (DESIGN.md §9), with its default and meaning; docs/settings.md mirrors
 * this list.
 *
 * <p>Besides these, any key starting with {@value #KAFKA_PREFIX} is a Kafka client setting, passed
 * through.
 */
public final class SettingsCatalogue {

  /**
   * Keys with this prefix go to every Kafka client, prefix removed ({@code kafka.acks} is {@code
   * acks}).
   */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final int MAX_PORT = 65_535;

  /** HMAC-SHA256 keys: 256 bits, the security level of the hash. */
  private static final int MIN_SECRET_BYTES = 32;

  // Kafka and Schema Registry
  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      Setting.text(
          "kafka.bootstrap.servers",
          "127.0.0.1:9092",
          "Kafka brokers to connect to (host:port, comma-separated). Any other `kafka.*` key is "
              + "passed to the Kafka clients with the prefix removed.");
  public static final Setting<String> SCHEMA_REGISTRY_URL =
      Setting.text(
          "schema.registry.url",
          "http://127.0.0.1:8081",
          "Confluent-compatible Schema Registry (Confluent, Karapace, Redpanda, Apicurio).");
  public static final Setting<String> SCHEMA_REGISTRY_USER_INFO =
      Setting.optionalText(
          "schema.registry.basic.auth.user.info",
          "`user:password` for the registry's HTTP basic authentication.");
  public static final Setting<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER =
      Setting.flag(
          "schema.registry.auto.register",
          true,
          "Register a record's schema on first write; set to false where schemas are registered ahead by CI.");

  // HTTP
  public static final Setting<Integer> HTTP_PORT =
      Setting.integer(
          "http.port",
          8080,
          0,
          MAX_PORT,
          "Port of the HTTP API and the Twilio webhooks (0 = any free port).");
  public static final Setting<String> PUBLIC_BASE_URL =
      Setting.text(
          "public.base.url",
          "http://127.0.0.1:8080",
          "URL at which Twilio reaches this server; webhook signatures are checked against it.");
  public static final Setting<List<String>> API_TOKENS =
      Setting.list(
          "api.tokens",
          "Bearer tokens accepted on `/v1/*`. Empty means no authentication, which only `optin dev` allows.");
  public static final Setting<Integer> HTTP_THREADS =
      Setting.integer(
          "http.threads",
          32,
          16,
          1_024,
          "Threads answering HTTP requests; webhooks and `/v1/verifications` hold one for up to "
              + "`replies.answer.wait`.");

  // Twilio
  public static final Setting<String> TWILIO_ACCOUNT_SID =
      Setting.optionalText(
          "twilio.account.sid",
          "Twilio account SID. When no Twilio credentials are set, `optin dev` uses its built-in sandbox.");
  public static final Setting<String> TWILIO_AUTH_TOKEN =
      Setting.optionalText(
          "twilio.auth.token",
          "Twilio auth token: authenticates API calls (unless an API key is set) and checks webhook signatures.");
  public static final Setting<String> TWILIO_API_KEY_SID =
      Setting.optionalText(
          "twilio.api.key.sid",
          "Twilio API key SID, used instead of the auth token for API calls.");
  public static final Setting<String> TWILIO_API_KEY_SECRET =
      Setting.optionalText("twilio.api.key.secret", "Secret of the Twilio API key.");
  public static final Setting<String> TWILIO_FROM =
      Setting.optionalText(
          "twilio.from",
          "Sender phone number (E.164); set this or `twilio.messaging.service.sid`.");
  public static final Setting<String> TWILIO_MESSAGING_SERVICE_SID =
      Setting.optionalText(
          "twilio.messaging.service.sid",
          "Twilio Messaging Service that picks the sender; set this or `twilio.from`.");
  public static final Setting<String> TWILIO_API_BASE_URL =
      Setting.optionalText(
          "twilio.api.base.url",
          "Base URL of the Messages API; empty means Twilio's own. Set it for a Twilio-compatible provider or the "
              + "sandbox.");

  // One-time codes
  public static final Setting<Integer> OTP_LENGTH =
      Setting.integer("otp.length", 6, 4, 10, "Digits in a one-time code.");
  public static final Setting<Duration> OTP_EXPIRY =
      Setting.duration(
          "otp.expiry",
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofMinutes(60),
          "How long a code and a YES reply are accepted after the code is sent; the SMS states it.");
  public static final Setting<Integer> OTP_MAX_ATTEMPTS =
      Setting.integer(
          "otp.max.attempts", 5, 1, 20, "Wrong codes accepted per challenge before it is locked.");
  public static final Setting<Duration> OTP_RESEND_COOLDOWN =
      Setting.duration(
          "otp.resend.cooldown",
          Duration.ofSeconds(60),
          Duration.ZERO,
          Duration.ofHours(1),
          "Minimum time between two sends of a code.");
  public static final Setting<Integer> OTP_MAX_RESENDS =
      Setting.integer("otp.max.resends", 3, 0, 10, "Resends allowed per challenge.");
  public static final Setting<String> OTP_SECRET =
      secret(
          "otp.secret",
          "Key of the keyed hash (and MAC) of codes. Required outside dev; `optin dev` generates one and keeps it "
              + "in `dev.data.dir`.");
  public static final Setting<Duration> OTP_EXPIRY_GRACE =
      Setting.duration(
          "otp.expiry.grace",
          Duration.ofSeconds(5),
          Duration.ZERO,
          Duration.ofMinutes(1),
          "How long after its expiry a challenge is "
              + "closed as EXPIRED, so that an answer sent in time but still in flight wins.");

  // Programs
  public static final Setting<List<String>> PROGRAMS_BRANDS =
      Setting.of(
          "programs.brands",
          ValueType.LIST,
          List.of(),
          SettingsCatalogue::brandsRefusal,
          "`programId=Brand` pairs, like `acme-deals=Acme,news=Daily News`",
          "The brand each program's messages are signed with; a program without one is named by its id.");

  // Topics
  public static final Setting<Integer> TOPICS_PARTITIONS =
      Setting.integer(
          "topics.partitions",
          6,
          1,
          10_000,
          "Partitions of every topic created by optin; the co-partitioned topics must all have this count.");
  public static final Setting<Integer> TOPICS_REPLICATION_FACTOR =
      Setting.of(
          "topics.replication.factor",
          ValueType.INTEGER,
          -1,
          value ->
              value == -1 || (value >= 1 && value <= Short.MAX_VALUE)
                  ? null
                  : "must be -1 (the broker's default) or between 1 and " + Short.MAX_VALUE,
          "-1, or 1 to " + Short.MAX_VALUE,
          "Replicas of each topic created; -1 takes the broker's "
              + "`default.replication.factor`.");
  public static final Setting<Duration> AUDIT_RETENTION =
      Setting.of(
          "audit.retention",
          ValueType.RETENTION,
          ValueType.INFINITE,
          value ->
              value.isNegative() || value.compareTo(Duration.ofDays(1)) >= 0
                  ? null
                  : "must be infinite or at least 1d",
          "infinite, or 1d or more",
          "Retention of `optin.consent-audit.v1`, the proof of consent.");

  // The consent ledger (audit sink and `optin audit`)
  public static final Setting<String> AUDIT_SUBJECT_SECRET =
      Setting.of(
          "audit.subject.secret",
          ValueType.STRING,
          null,
          value -> value.length() < 32 ? "must be at least 32 characters long" : null,
          "32 characters or more",
          "Key of the keyed hash of the phone that keys the ledger (subjectKey). When not set it is derived from "
              + "`otp.secret` (HMAC-SHA256 with a fixed label); `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_MASTER_KEY =
      Setting.optionalText(
          "audit.master.key",
          "AES-256 key (base64 of 32 bytes) wrapping each subject's data key on `optin.consent-keys.v1`. Required "
              + "outside dev; `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_SIGNING_KEY =
      Setting.optionalText(
          "audit.signing.key",
          "Ed25519 private key (base64 PKCS#8) signing the ledger checkpoints. Required by the audit sink outside "
              + "dev; `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_SIGNING_PUBLIC_KEY =
      Setting.optionalText(
          "audit.signing.public.key",
          "Ed25519 public key (base64 X.509) that `optin audit verify` checks checkpoints with; derived from "
              + "`audit.signing.key` when that is set.");
  public static final Setting<Duration> AUDIT_CHECKPOINT_INTERVAL =
      Setting.duration(
          "audit.checkpoint.interval",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "Wall-clock time between two signed checkpoints of a ledger partition that received records.");
  public static final Setting<Integer> AUDIT_CHECKPOINT_RECORDS =
      Setting.integer(
          "audit.checkpoint.records",
          10_000,
          1,
          10_000_000,
          "Records after which a ledger partition is checkpointed at once.");

  // The consent ledger archive (audit sink)
  public static final Setting<String> AUDIT_ARCHIVE_DIR =
      Setting.optionalText(
          "audit.archive.dir",
          "Directory of the segment-file archive of the ledger (JSON Lines + SHA-256 manifests); empty: none.");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_URL =
      Setting.optionalText(
          "audit.archive.jdbc.url",
          "PostgreSQL JDBC URL (`jdbc:postgresql://host:5432/db`) of the append-only ledger table; empty: none.");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_USER =
      Setting.optionalText(
          "audit.archive.jdbc.user",
          "Database role of the archiver (INSERT and SELECT only, see docs/ledger-archive.md).");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_PASSWORD =
      Setting.optionalText(
          "audit.archive.jdbc.password", "Password of that role; keep it in the environment.");
  public static final Setting<Integer> AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS =
      Setting.integer(
          "audit.archive.segment.max.records",
          100_000,
          1,
          100_000_000,
          "Records after which a segment file is closed with its manifest.");
  public static final Setting<Integer> AUDIT_ARCHIVE_SEGMENT_MAX_BYTES =
      Setting.integer(
          "audit.archive.segment.max.bytes",
          64 * 1024 * 1024,
          1024,
          Integer.MAX_VALUE,
          "Bytes after which a segment file is closed with its manifest.");
  public static final Setting<Duration> AUDIT_ARCHIVE_RETRY_BACKOFF =
      Setting.duration(
          "audit.archive.retry.backoff",
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofMinutes(10),
          "Pause before an archiver reopens its archive after a failure.");

  // Kafka Streams
  public static final Setting<String> STREAMS_STATE_DIR =
      Setting.text(
          "streams.state.dir",
          ".optin/state",
          "Directory of the Kafka Streams state stores (relative to the working directory); `optin dev` uses "
              + "`<dev.data.dir>/streams` unless this is set.");

  // Signup front door
  public static final Setting<Duration> INGEST_IDEMPOTENCY_TTL =
      Setting.duration(
          "ingest.idempotency.ttl",
          Duration.ofHours(24),
          Duration.ofMinutes(1),
          Duration.ofDays(30),
          "How long the first answer to an `idempotencyKey` is replayed.");
  public static final Setting<Integer> INGEST_IDEMPOTENCY_MAX_KEYS =
      Setting.integer(
          "ingest.idempotency.max.keys",
          100_000,
          100,
          10_000_000,
          "Idempotency keys remembered at most per instance (the oldest are forgotten).");
  public static final Setting<Duration> INGEST_PUBLISH_TIMEOUT =
      Setting.duration(
          "ingest.publish.timeout",
          Duration.ofSeconds(15),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          "Longest wait for Kafka's acknowledgement of a signup before answering 503.");

  // Replies
  public static final Setting<Duration> REPLIES_ANSWER_WAIT =
      Setting.duration(
          "replies.answer.wait",
          Duration.ofSeconds(3),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "How long the inbound webhook and "
              + "`POST /v1/verifications` wait for the outcome of an answer before replying without it.");
  public static final Setting<Duration> REPLIES_PUBLISH_TIMEOUT =
      Setting.duration(
          "replies.publish.timeout",
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          "Longest wait for Kafka's acknowledgement of a reply or code entry before answering 503.");
  public static final Setting<Duration> REPLIES_DEDUPE_RETENTION =
      Setting.duration(
          "replies.dedupe.retention",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(90),
          "How long a processed message sid or attempt id is remembered, so a replayed webhook changes nothing.");
  public static final Setting<Duration> REPLIES_OUTCOME_RETENTION =
      Setting.duration(
          "replies.outcome.retention",
          Duration.ofHours(1),
          Duration.ofMinutes(1),
          Duration.ofDays(1),
          "How long the outcome of an answer stays readable by the HTTP side.");
  public static final Setting<Duration> REPLIES_CLOSED_RETENTION =
      Setting.duration(
          "replies.closed.retention",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(90),
          "How long a closed challenge is remembered to answer late replies (expired, already confirmed).");

  // SMS sending
  public static final Setting<Integer> SMS_RATE_PER_SECOND =
      Setting.integer(
          "sms.rate.per.second",
          10,
          1,
          10_000,
          "SMS sent per second at most, per sender instance.");
  public static final Setting<Integer> SMS_MAX_CONCURRENCY =
      Setting.integer(
          "sms.max.concurrency",
          4,
          1,
          256,
          "Provider calls in flight at once, per sender instance.");
  public static final Setting<String> SMS_SENDER_ID =
      Setting.of(
          "sms.sender.id",
          ValueType.STRING,
          null,
          value ->
              value.matches("[A-Za-z0-9._-]{1,100}")
                  ? null
                  : "must be 1 to 100 letters, digits, '.', '_' or '-'",
          "1 to 100 letters, digits, `.`, `_`, `-`",
          "Stable name of this sender instance (its transactional id is "
              + "`optin-sms-sender-<id>`); a restarted instance must keep it, two live ones must not share it. "
              + "Not set: the host name.");
  public static final Setting<Integer> SMS_MAX_ATTEMPTS =
      Setting.integer(
          "sms.max.attempts",
          3,
          1,
          10,
          "Attempts per SMS when the provider fails transiently (permanent errors are never retried).");
  public static final Setting<Duration> SMS_DEDUPE_WINDOW =
      Setting.duration(
          "sms.dedupe.window",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(30),
          "How far back a starting sender reads its delivery reports to skip commands already handled.");

  // Suspicious activity
  public static final Setting<Integer> LIMITS_PHONE_PER_HOUR =
      Setting.integer(
          "limits.phone.per.hour", 5, 1, 1_000, "Signups accepted per phone number per hour.");
  public static final Setting<Integer> LIMITS_IP_PER_HOUR =
      Setting.integer(
          "limits.ip.per.hour",
          20,
          1,
          1_000_000,
          "Signups accepted per client IP address per hour.");
  public static final Setting<Integer> LIMITS_PREFIX_DIGITS =
      Setting.integer(
          "limits.prefix.digits",
          6,
          3,
          12,
          "Leading digits of an E.164 number (country code included) that make its prefix.");
  public static final Setting<Integer> LIMITS_PREFIX_PER_HOUR =
      Setting.integer(
          "limits.prefix.per.hour",
          200,
          1,
          1_000_000,
          "Signups accepted per number prefix per hour (each may send a code).");
  public static final Setting<Integer> LIMITS_COUNTRY_PER_HOUR =
      Setting.integer(
          "limits.country.per.hour",
          2_000,
          1,
          10_000_000,
          "Signups accepted per destination country per hour (each may send a code).");
  public static final Setting<List<String>> LIMITS_COUNTRIES_ALLOWED =
      Setting.of(
          "limits.countries.allowed",
          ValueType.LIST,
          List.of(),
          SettingsCatalogue::countryCodesRefusal,
          "ISO 3166 codes, like `US,FR`",
          "Destination countries allowed; empty allows all.");
  public static final Setting<Integer> LIMITS_PUMPING_MIN_SENDS =
      Setting.integer(
          "limits.pumping.min.sends",
          50,
          1,
          1_000_000,
          "Codes sent to a prefix in the last hour before its confirmation rate is judged (SMS pumping).");
  public static final Setting<Integer> LIMITS_PUMPING_MIN_CONFIRM_PERCENT =
      Setting.integer(
          "limits.pumping.min.confirm.percent",
          10,
          0,
          100,
          "A prefix whose confirmed share of the codes sent in the last hour falls below this percentage is blocked "
              + "(0: never).");
  public static final Setting<Duration> LIMITS_PUMPING_BLOCK =
      Setting.duration(
          "limits.pumping.block",
          Duration.ofHours(1),
          Duration.ofMinutes(1),
          Duration.ofDays(7),
          "How long a pumping prefix stays blocked: signups to it are answered 429.");

  // The embedded dev stack
  public static final Setting<String> DEV_DATA_DIR =
      Setting.text(
          "dev.data.dir",
          ".optin/data",
          "Directory of the embedded broker's data and the dev secrets (relative to the working directory).");
  public static final Setting<Integer> DEV_BROKER_PORT =
      Setting.integer(
          "dev.broker.port",
          9092,
          0,
          MAX_PORT,
          "Port of the embedded Kafka broker (0 = any free port).");
  public static final Setting<Integer> DEV_REGISTRY_PORT =
      Setting.integer(
          "dev.registry.port",
          8081,
          0,
          MAX_PORT,
          "Port of the embedded Schema Registry (0 = any free port).");
  public static final Setting<Integer> DEV_SANDBOX_PORT =
      Setting.integer(
          "dev.sandbox.port",
          8082,
          0,
          MAX_PORT,
          "Port of the built-in Twilio sandbox (0 = any free port).");

  private static final List<Setting<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          SCHEMA_REGISTRY_USER_INFO,
          SCHEMA_REGISTRY_AUTO_REGISTER,
          HTTP_PORT,
          PUBLIC_BASE_URL,
          API_TOKENS,
          HTTP_THREADS,
          TWILIO_ACCOUNT_SID,
          TWILIO_AUTH_TOKEN,
          TWILIO_API_KEY_SID,
          TWILIO_API_KEY_SECRET,
          TWILIO_FROM,
          TWILIO_MESSAGING_SERVICE_SID,
          TWILIO_API_BASE_URL,
          OTP_LENGTH,
          OTP_EXPIRY,
          OTP_MAX_ATTEMPTS,
          OTP_RESEND_COOLDOWN,
          OTP_MAX_RESENDS,
          OTP_SECRET,
          OTP_EXPIRY_GRACE,
          PROGRAMS_BRANDS,
          TOPICS_PARTITIONS,
          TOPICS_REPLICATION_FACTOR,
          AUDIT_RETENTION,
          AUDIT_SUBJECT_SECRET,
          AUDIT_MASTER_KEY,
          AUDIT_SIGNING_KEY,
          AUDIT_SIGNING_PUBLIC_KEY,
          AUDIT_CHECKPOINT_INTERVAL,
          AUDIT_CHECKPOINT_RECORDS,
          AUDIT_ARCHIVE_DIR,
          AUDIT_ARCHIVE_JDBC_URL,
          AUDIT_ARCHIVE_JDBC_USER,
          AUDIT_ARCHIVE_JDBC_PASSWORD,
          AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS,
          AUDIT_ARCHIVE_SEGMENT_MAX_BYTES,
          AUDIT_ARCHIVE_RETRY_BACKOFF,
          STREAMS_STATE_DIR,
          INGEST_IDEMPOTENCY_TTL,
          INGEST_IDEMPOTENCY_MAX_KEYS,
          INGEST_PUBLISH_TIMEOUT,
          REPLIES_ANSWER_WAIT,
          REPLIES_PUBLISH_TIMEOUT,
          REPLIES_DEDUPE_RETENTION,
          REPLIES_OUTCOME_RETENTION,
          REPLIES_CLOSED_RETENTION,
          SMS_RATE_PER_SECOND,
          SMS_MAX_CONCURRENCY,
          SMS_SENDER_ID,
          SMS_MAX_ATTEMPTS,
          SMS_DEDUPE_WINDOW,
          LIMITS_PHONE_PER_HOUR,
          LIMITS_IP_PER_HOUR,
          LIMITS_PREFIX_DIGITS,
          LIMITS_PREFIX_PER_HOUR,
          LIMITS_COUNTRY_PER_HOUR,
          LIMITS_COUNTRIES_ALLOWED,
          LIMITS_PUMPING_MIN_SENDS,
          LIMITS_PUMPING_MIN_CONFIRM_PERCENT,
          LIMITS_PUMPING_BLOCK,
          DEV_DATA_DIR,
          DEV_BROKER_PORT,
          DEV_REGISTRY_PORT,
          DEV_SANDBOX_PORT);

  private static final Map<String, Setting<?>> BY_KEY = index(Setting::key);
  private static final Map<String, Setting<?>> BY_VARIABLE = index(Setting::environmentVariable);

  private SettingsCatalogue() {}

  /** Every known setting, grouped as in docs/settings.md. */
  public static List<Setting<?>> all() {
    return ALL;
  }

  public static Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** The setting an {@code OPTIN_*} variable overrides, if it names one of the catalogue. */
  public static Optional<Setting<?>> findByEnvironmentVariable(String variable) {
    return Optional.ofNullable(BY_VARIABLE.get(variable));
  }

  /**
   * Whether {@code key} is a Kafka client setting passed through ({@code kafka.} and something
   * after it).
   */
  public static boolean isKafkaPassThrough(String key) {
    return key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length();
  }

  /** The known key closest to a mistyped one, when one is close enough to be what was meant. */
  public static Optional<String> closestKey(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting<?> known : ALL) {
      int distance = EditDistance.between(key, known.key());
      if (distance < bestDistance) {
        best = known.key();
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 5)
        ? Optional.ofNullable(best)
        : Optional.empty();
  }

  /**
   * Families of settings whose keys carry names (a program, a locale): read from the settings file
   * only, since an environment variable cannot tell the dots of the key from the dashes of a
   * locale.
   */
  public static final List<String> FAMILY_PREFIXES = List.of("templates.", "replies.keywords.");

  /** Whether {@code key} belongs to one of the {@link #FAMILY_PREFIXES families}. */
  public static boolean isFamilyKey(String key) {
    return FAMILY_PREFIXES.stream()
        .anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
  }

  /**
   * Whether a key may be set: one of the catalogue, a Kafka client setting or a member of a family.
   */
  public static boolean isKnownKey(String key) {
    return find(key).isPresent() || isKafkaPassThrough(key) || isFamilyKey(key);
  }

  private static Setting<String> secret(String key, String doc) {
    return Setting.of(
        key,
        ValueType.STRING,
        null,
        value ->
            value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES
                ? "must be at least "
                    + MIN_SECRET_BYTES
                    + " bytes long (generate one with `openssl rand -base64 48`)"
                : null,
        MIN_SECRET_BYTES + " bytes or more",
        doc);
  }

  private static String brandsRefusal(List<String> pairs) {
    List<String> bad = pairs.stream().filter(pair -> !pair.matches("[^=\\s]+=.*\\S.*")).toList();
    return bad.isEmpty() ? null : "must be programId=Brand pairs (not " + bad + ")";
  }

  private static String countryCodesRefusal(List<String> codes) {
    List<String> bad = codes.stream().filter(code -> !code.matches("[A-Z]{2}")).toList();
    return bad.isEmpty()
        ? null
        : "must be two-letter ISO 3166 country codes in capitals, like US,FR (not " + bad + ")";
  }

  private static Map<String, Setting<?>> index(Function<Setting<?>, String> name) {
    Map<String, Setting<?>> index = new LinkedHashMap<>();
    for (Setting<?> setting : ALL) {
      if (index.put(name.apply(setting), setting) != null) {
        throw new IllegalStateException("two settings named " + name.apply(setting));
      }
    }
    return Map.copyOf(index);
  }
}
