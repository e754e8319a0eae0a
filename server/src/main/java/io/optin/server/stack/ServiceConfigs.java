package io.optin.server.stack;

import static io.optin.kit.config.SettingsCatalogue.AUDIT_CHECKPOINT_INTERVAL;
import static io.optin.kit.config.SettingsCatalogue.AUDIT_CHECKPOINT_RECORDS;
import static io.optin.kit.config.SettingsCatalogue.AUDIT_SUBJECT_SECRET;
import static io.optin.kit.config.SettingsCatalogue.INGEST_IDEMPOTENCY_MAX_KEYS;
import static io.optin.kit.config.SettingsCatalogue.INGEST_IDEMPOTENCY_TTL;
import static io.optin.kit.config.SettingsCatalogue.INGEST_PUBLISH_TIMEOUT;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_COUNTRIES_ALLOWED;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_COUNTRY_PER_HOUR;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_IP_PER_HOUR;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PHONE_PER_HOUR;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PREFIX_DIGITS;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PREFIX_PER_HOUR;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PUMPING_BLOCK;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PUMPING_MIN_CONFIRM_PERCENT;
import static io.optin.kit.config.SettingsCatalogue.LIMITS_PUMPING_MIN_SENDS;
import static io.optin.kit.config.SettingsCatalogue.OTP_EXPIRY;
import static io.optin.kit.config.SettingsCatalogue.OTP_EXPIRY_GRACE;
import static io.optin.kit.config.SettingsCatalogue.OTP_LENGTH;
import static io.optin.kit.config.SettingsCatalogue.OTP_MAX_ATTEMPTS;
import static io.optin.kit.config.SettingsCatalogue.OTP_MAX_RESENDS;
import static io.optin.kit.config.SettingsCatalogue.OTP_RESEND_COOLDOWN;
import static io.optin.kit.config.SettingsCatalogue.OTP_SECRET;
import static io.optin.kit.config.SettingsCatalogue.PROGRAMS_BRANDS;
import static io.optin.kit.config.SettingsCatalogue.PUBLIC_BASE_URL;
import static io.optin.kit.config.SettingsCatalogue.REPLIES_ANSWER_WAIT;
import static io.optin.kit.config.SettingsCatalogue.REPLIES_CLOSED_RETENTION;
import static io.optin.kit.config.SettingsCatalogue.REPLIES_DEDUPE_RETENTION;
import static io.optin.kit.config.SettingsCatalogue.REPLIES_OUTCOME_RETENTION;
import static io.optin.kit.config.SettingsCatalogue.REPLIES_PUBLISH_TIMEOUT;
import static io.optin.kit.config.SettingsCatalogue.SMS_DEDUPE_WINDOW;
import static io.optin.kit.config.SettingsCatalogue.SMS_MAX_ATTEMPTS;
import static io.optin.kit.config.SettingsCatalogue.SMS_MAX_CONCURRENCY;
import static io.optin.kit.config.SettingsCatalogue.SMS_RATE_PER_SECOND;
import static io.optin.kit.config.SettingsCatalogue.SMS_SENDER_ID;
import static io.optin.kit.config.SettingsCatalogue.STREAMS_STATE_DIR;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_ACCOUNT_SID;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_API_BASE_URL;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_API_KEY_SECRET;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_API_KEY_SID;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_AUTH_TOKEN;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_FROM;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_MESSAGING_SERVICE_SID;

import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.webhook.StatusWebhookConfig;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.ingest.IngestSettings;
import io.optin.ingest.PumpingRule;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SettingsException;
import io.optin.replies.RepliesConfig;
import io.optin.replies.matching.ReplyTopologyConfig;
import io.optin.replies.parse.ReplyKeywords;
import io.optin.replies.webhook.ReplyTexts;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every service's configuration, read from the one {@link Settings} of the process: the only place
 * where a setting of the catalogue becomes a field of a service's config. A config a service
 * refuses is reported as a {@link SettingsException}, so it stops start-up like a malformed
 * setting.
 */
public final class ServiceConfigs {

  private final Settings settings;

  /**
   * Set only by {@link #forDemo}: no setting can shorten the confirmation window below a minute.
   */
  private final Duration demoWindow;

  public ServiceConfigs(Settings settings) {
    this(settings, null);
  }

  private ServiceConfigs(Settings settings, Duration demoWindow) {
    this.settings = settings;
    this.demoWindow = demoWindow;
  }

  /**
   * These configs with the short confirmation window of {@code optin demo} (see {@link
   * ChallengeTopologyConfig#withDemoWindow}); {@code otp.expiry} is ignored.
   */
  public ServiceConfigs forDemo(Duration window) {
    return new ServiceConfigs(settings, Objects.requireNonNull(window, "window"));
  }

  public Settings settings() {
    return settings;
  }

  /** The {@code kafka.*} settings, prefix removed, for plain producers and consumers. */
  public Map<String, String> kafkaClients() {
    return settings.kafkaClientProperties();
  }

  /** The Kafka client settings plus the state directory, for Kafka Streams applications. */
  public Map<String, String> streamsClients() {
    Map<String, String> clients = new TreeMap<>(kafkaClients());
    clients.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
    return clients;
  }

  public Path stateDir() {
    return Path.of(settings.string(STREAMS_STATE_DIR)).toAbsolutePath();
  }

  public OtpCodes otpCodes() {
    return checked(
        () -> OtpCodes.fromSettings(settings.string(OTP_SECRET), settings.integer(OTP_LENGTH)));
  }

  /**
   * From {@code audit.subject.secret}, else derived from {@code otp.secret} (see {@link
   * SubjectKeys#derivedFrom}).
   */
  public SubjectKeys subjectKeys() {
    return checked(
        () ->
            settings
                .optional(AUDIT_SUBJECT_SECRET)
                .map(secret -> new SubjectKeys(secret.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(
                    () ->
                        SubjectKeys.derivedFrom(
                            settings.string(OTP_SECRET).getBytes(StandardCharsets.UTF_8))));
  }

  /** {@code programs.brands}: programId to brand. */
  public Map<String, String> brands() {
    Map<String, String> brands = new LinkedHashMap<>();
    for (String pair : settings.list(PROGRAMS_BRANDS)) {
      int eq = pair.indexOf('=');
      brands.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return brands;
  }

  public IngestSettings ingest() {
    return checked(
        () ->
            new IngestSettings(
                settings.integer(LIMITS_PHONE_PER_HOUR),
                settings.integer(LIMITS_IP_PER_HOUR),
                new HashSet<>(settings.list(LIMITS_COUNTRIES_ALLOWED)),
                settings.duration(INGEST_IDEMPOTENCY_TTL),
                settings.integer(INGEST_IDEMPOTENCY_MAX_KEYS),
                settings.duration(INGEST_PUBLISH_TIMEOUT),
                settings.integer(LIMITS_PREFIX_DIGITS),
                settings.integer(LIMITS_PREFIX_PER_HOUR),
                settings.integer(LIMITS_COUNTRY_PER_HOUR),
                new PumpingRule(
                    settings.integer(LIMITS_PUMPING_MIN_SENDS),
                    settings.integer(LIMITS_PUMPING_MIN_CONFIRM_PERCENT),
                    settings.duration(LIMITS_PUMPING_BLOCK))));
  }

  public ChallengeTopologyConfig dispatcher() {
    requireSender();
    ChallengeTopologyConfig config =
        checked(
            () ->
                new ChallengeTopologyConfig(
                    settings.duration(OTP_EXPIRY),
                    settings.duration(OTP_RESEND_COOLDOWN),
                    settings.integer(OTP_MAX_RESENDS),
                    settings.optional(TWILIO_FROM).orElse(null),
                    settings.optional(TWILIO_MESSAGING_SERVICE_SID).orElse(null)));
    return demoWindow == null ? config : checked(() -> config.withDemoWindow(demoWindow));
  }

  public SenderConfig sender() {
    requireSender();
    RetryPolicy retries = RetryPolicy.DEFAULT;
    RetryPolicy policy =
        new RetryPolicy(
            settings.integer(SMS_MAX_ATTEMPTS),
            retries.initialDelay(),
            retries.maxDelay(),
            retries.multiplier(),
            retries.jitter());
    String instance = settings.optional(SMS_SENDER_ID).orElseGet(ServiceConfigs::hostName);
    return checked(
        () ->
            new SenderConfig(
                instance,
                settings.optional(TWILIO_FROM).orElse(null),
                settings.optional(TWILIO_MESSAGING_SERVICE_SID).orElse(null),
                SenderConfig.statusCallbackFor(URI.create(settings.string(PUBLIC_BASE_URL))),
                settings.integer(SMS_MAX_CONCURRENCY),
                settings.integer(SMS_RATE_PER_SECOND),
                policy,
                settings.duration(SMS_DEDUPE_WINDOW)));
  }

  /**
   * The sender's status webhook: signatures under {@code public.base.url} and {@code
   * twilio.auth.token} (required even when an API key sends the SMS: Twilio signs webhooks with the
   * auth token), publishes bounded by {@code replies.publish.timeout} as the inbound webhook's.
   */
  public StatusWebhookConfig statusWebhook() {
    return checked(
        () ->
            new StatusWebhookConfig(
                settings.string(PUBLIC_BASE_URL),
                settings.string(TWILIO_AUTH_TOKEN),
                settings.duration(REPLIES_PUBLISH_TIMEOUT),
                StatusWebhookConfig.DEFAULT_RECENT_STATUS_CAPACITY));
  }

  public RepliesConfig replies() {
    ReplyTopologyConfig defaults = ReplyTopologyConfig.defaults();
    return checked(
        () -> {
          ReplyTopologyConfig topology =
              new ReplyTopologyConfig(
                  settings.integer(OTP_MAX_ATTEMPTS),
                  settings.duration(OTP_EXPIRY_GRACE),
                  defaults.punctuationInterval(),
                  settings.duration(REPLIES_DEDUPE_RETENTION),
                  settings.duration(REPLIES_OUTCOME_RETENTION),
                  settings.duration(REPLIES_CLOSED_RETENTION),
                  defaults.purgeInterval());
          return new RepliesConfig(
              streamsClients(),
              settings.string(PUBLIC_BASE_URL),
              settings.string(TWILIO_AUTH_TOKEN),
              topology,
              ReplyKeywords.fromSettings(settings.family(ReplyKeywords.SETTINGS_PREFIX)),
              ReplyTexts.defaults(),
              settings.duration(REPLIES_ANSWER_WAIT),
              settings.duration(REPLIES_PUBLISH_TIMEOUT),
              RepliesConfig.DEFAULT_RECENT_ID_CAPACITY);
        });
  }

  /**
   * The provider: account sid with an API key (when set) or the auth token, and the API base URL.
   */
  public TwilioClientSettings twilio() {
    String account = settings.string(TWILIO_ACCOUNT_SID);
    Optional<String> keySid = settings.optional(TWILIO_API_KEY_SID);
    TwilioCredentials credentials =
        keySid.isPresent()
            ? TwilioCredentials.apiKey(
                account, keySid.get(), settings.string(TWILIO_API_KEY_SECRET))
            : TwilioCredentials.authToken(account, settings.string(TWILIO_AUTH_TOKEN));
    return checked(
        () ->
            TwilioClientSettings.of(credentials)
                .withApiBaseUrl(
                    settings.optional(TWILIO_API_BASE_URL).map(URI::create).orElse(null)));
  }

  /**
   * The SMS texts: built-in, overridden by the {@code templates.*} family, signed with {@link
   * #brands()}.
   */
  public MessageTemplates templates() {
    return checked(
        () -> new MessageTemplates(settings.family(MessageTemplates.SETTINGS_PREFIX), brands()));
  }

  public ConsentAuditTopologyConfig audit(SubjectKeys subjects) {
    return checked(
        () ->
            ConsentAuditTopologyConfig.of(subjects, settings.integer(OTP_LENGTH), ledgerKeys())
                .withCheckpoints(
                    new CheckpointPolicy(
                        settings.duration(AUDIT_CHECKPOINT_INTERVAL),
                        settings.integer(AUDIT_CHECKPOINT_RECORDS))));
  }

  /**
   * {@code audit.master.key} and {@code audit.signing.key}: the ledger's data-key wrap and
   * checkpoint signature.
   */
  public LedgerKeys ledgerKeys() {
    return checked(
        () ->
            LedgerKeys.fromSettings(
                key ->
                    SettingsCatalogue.find(key)
                        .flatMap(setting -> settings.optional(setting).map(String::valueOf))
                        .orElse(null)));
  }

  private void requireSender() {
    if (settings.optional(TWILIO_FROM).isEmpty()
        && settings.optional(TWILIO_MESSAGING_SERVICE_SID).isEmpty()) {
      throw new SettingsException(
          "twilio.from or twilio.messaging.service.sid must be set: it is the sender of "
              + "every SMS (set OPTIN_TWILIO_FROM=+1... or twilio.from in the --config file)");
    }
  }

  /**
   * A sender id from the host name: stable across restarts of one machine, distinct between
   * machines.
   */
  static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
      return name.isEmpty() ? "sender" : name.substring(0, Math.min(100, name.length()));
    } catch (UnknownHostException e) {
      return "sender";
    }
  }

  private static <T> T checked(Supplier<T> config) {
    try {
      return config.get();
    } catch (IllegalArgumentException e) {
      throw new SettingsException(e.getMessage());
    }
  }
}
