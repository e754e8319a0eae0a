package io.optin.server.stack;

import io.optin.audit.AuditService;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.archive.ArchiveService;
import io.optin.audit.archive.ArchiveSettings;
import io.optin.audit.tools.ConsentExports;
import io.optin.audit.tools.ConsentRoute;
import io.optin.audit.tools.LedgerTopics;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.dispatcher.challenge.DispatcherService;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sender.SenderService;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.dispatcher.webhook.StatusWebhook;
import io.optin.dispatcher.webhook.StatusWebhookConfig;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.ingest.IngestService;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.http.RunningService;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.StreamsService;
import io.optin.kit.threads.NamedThreads;
import io.optin.replies.RepliesConfig;
import io.optin.replies.RepliesService;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.webhooks.WebhookConfig;
import io.optin.webhooks.WebhooksService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one process, started from one {@link Settings}: the shared parts (Avro serdes
 * over the registry, one-time codes, subject keys, metrics) are built once, then each selected
 * service, with the config its module builds from the settings, in the order ingest, dispatcher,
 * sender, replies, audit (and the audit's archiver when an archive is configured), webhooks; {@link
 * #close()} stops them in the reverse order. Each reports its own health ({@link
 * io.optin.kit.health.ServiceHealth}) for {@code /health/live} and {@code /health/ready/{service}};
 * the Streams apps run with the failure policy of {@link StreamsService}.
 *
 * <p>The services start side by side. Start is all or nothing: when one service fails to start,
 * those already started are stopped.
 */
public final class OptinServices implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OptinServices.class);

  /** Longest read of the ledger for one {@code GET /v1/consent/{phone}}. */
  private static final Duration CONSENT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** How long a failed start waits for the other services' starts before stopping them. */
  private static final Duration STARTING_WAIT = Duration.ofSeconds(60);

  /** The SMS sender's static member id is this and its {@code sms.sender.id}. */
  static final String SENDER_MEMBER_PREFIX = "optin-sender-";

  private final Settings settings;
  private final SharedParts shared;
  private final List<RunningService> running;
  private final List<AutoCloseable> resources;

  private OptinServices(
      Settings settings,
      SharedParts shared,
      List<RunningService> running,
      List<AutoCloseable> resources) {
    this.settings = settings;
    this.shared = shared;
    this.running = Collections.unmodifiableList(running);
    this.resources = resources;
  }

  /**
   * Builds the shared parts and starts the {@code selected} services; they connect to Kafka in the
   * background, so this returns before they are ready (see {@link #notReady()}).
   *
   * @throws io.optin.kit.config.SettingsException when a setting a selected service needs is
   *     missing or bad
   */
  public static OptinServices start(
      Settings settings, Set<ServiceName> selected, OptinMetrics metrics) {
    return start(settings, null, selected, metrics);
  }

  /**
   * {@link #start(Settings, Set, OptinMetrics)} for {@code optin demo} only: codes expire after
   * {@code window} (see {@link ChallengeTopologyConfig#withDemoWindow}); {@code otp.expiry} is
   * ignored.
   */
  public static OptinServices startDemo(
      Settings settings, Duration window, Set<ServiceName> selected, OptinMetrics metrics) {
    return start(settings, Objects.requireNonNull(window, "window"), selected, metrics);
  }

  private static OptinServices start(
      Settings settings, Duration demoWindow, Set<ServiceName> selected, OptinMetrics metrics) {
    // Every settings problem at once, before anything starts: what optin run --check reports.
    ServiceChecks.require(settings, selected);
    SharedParts shared = SharedParts.from(settings, metrics);
    List<ServiceName> names = List.copyOf(selected);
    List<List<RunningService>> runningOf = new ArrayList<>();
    List<List<AutoCloseable>> resourcesOf = new ArrayList<>();
    List<Future<?>> starts = new ArrayList<>();
    // Each service takes seconds to build its clients and stores, mostly waiting on Kafka and the
    // disk: side by side, a process restarted after a crash serves again sooner than one by one.
    ExecutorService starter =
        Executors.newFixedThreadPool(
            Math.max(1, names.size()), NamedThreads.daemons("optin-start-"));
    try {
      for (ServiceName name : names) {
        List<RunningService> running = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        runningOf.add(running);
        resourcesOf.add(resources);
        starts.add(
            starter.submit(() -> create(name, settings, demoWindow, shared, running, resources)));
      }
    } finally {
      starter.shutdown();
    }
    RuntimeException failure = null;
    for (int i = 0; i < names.size(); i++) {
      try {
        starts.get(i).get();
        LOG.info("{} service started", names.get(i));
      } catch (ExecutionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException("could not start " + names.get(i), e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted while the services started", e);
        break;
      }
    }
    if (failure != null) {
      starter.shutdownNow();
      awaitQuietly(starter);
    }
    // In the order of the selection, whichever finished first.
    List<RunningService> running = new ArrayList<>();
    List<AutoCloseable> resources = new ArrayList<>();
    runningOf.forEach(running::addAll);
    resourcesOf.forEach(resources::addAll);
    if (failure != null) {
      closeAll(running, resources);
      throw failure;
    }
    return new OptinServices(settings, shared, running, resources);
  }

  private static void awaitQuietly(ExecutorService starter) {
    try {
      starter.awaitTermination(STARTING_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts one service (and the audit's archiver), added to {@code running} before it starts so
   * that a failed start stops it too.
   */
  private static void create(
      ServiceName name,
      Settings settings,
      Duration demoWindow,
      SharedParts shared,
      List<RunningService> running,
      List<AutoCloseable> resources) {
    StreamsService.Options streams =
        StreamsService.Options.defaults().withMetrics(shared.metrics());
    switch (name) {
      case INGEST -> {
        IngestService ingest =
            new IngestService(
                IngestSettings.from(settings),
                settings.kafkaClientProperties(),
                shared.serdes(),
                Clock.systemUTC(),
                shared.metrics());
        running.add(RunningService.of(ingest, ingest.routes()));
        ingest.start();
      }
      case DISPATCHER -> {
        DispatcherService dispatcher =
            new DispatcherService(
                challenges(settings, demoWindow),
                ProcessSettings.streamsClients(settings),
                shared.serdes(),
                shared.subjectKeys(),
                streams);
        running.add(RunningService.of(dispatcher, List.of()));
        dispatcher.start();
      }
      case SENDER -> {
        TwilioSmsGateway gateway = TwilioSmsGateway.create(TwilioClientSettings.from(settings));
        resources.add(gateway);
        // Twilio posts the statuses of what the sender sent back to the sender, whose topic they
        // are written to.
        StatusWebhook statuses =
            new StatusWebhook(
                StatusWebhookConfig.from(settings),
                settings.kafkaClientProperties(),
                shared.serdes(),
                shared.metrics());
        resources.add(statuses);
        SenderConfig senderConfig = SenderConfig.from(settings);
        // Static membership under the sender's own stable id: restarted after a crash, it takes
        // its outbox partitions back at once instead of after session.timeout.ms.
        SenderService sender =
            new SenderService(
                senderConfig,
                ProcessSettings.staticMemberClients(
                    settings, SENDER_MEMBER_PREFIX + senderConfig.instanceId()),
                shared.serdes(),
                MessageTemplates.from(settings),
                shared.codes(),
                gateway,
                Clock.systemUTC(),
                shared.metrics());
        running.add(RunningService.of(sender, List.of(statuses.route())));
        sender.start();
      }
      case REPLIES -> {
        RepliesService replies =
            new RepliesService(
                RepliesConfig.from(settings),
                shared.serdes(),
                shared.codes(),
                shared.subjectKeys(),
                streams);
        running.add(RunningService.of(replies, replies.routes()));
        replies.start();
      }
      case AUDIT -> {
        // One reading of the subject keys and the ledger keys, for the ledger and its export.
        ConsentAuditTopologyConfig ledger = ConsentAuditTopologyConfig.from(settings);
        ConsentExports exports =
            new ConsentExports(
                new LedgerTopics(
                    settings.kafkaClientProperties(), shared.serdes(), CONSENT_READ_TIMEOUT),
                ledger.subjects(),
                ledger.keys().master(),
                Clock.systemUTC());
        AuditService audit =
            new AuditService(
                ledger, ProcessSettings.streamsClients(settings), shared.serdes(), streams);
        running.add(RunningService.of(audit, List.of(ConsentRoute.route(exports))));
        audit.start();
        ArchiveSettings archive = ArchiveSettings.from(settings);
        if (archive.any()) {
          ArchiveService archiver =
              new ArchiveService(
                  archive, settings.kafkaClientProperties(), shared.serdes().client());
          running.add(RunningService.of(archiver, List.of()));
          archiver.start();
        }
      }
      case WEBHOOKS -> {
        // Idle (and ready) without webhooks.endpoints, so that `all` needs no endpoint.
        WebhooksService webhooks =
            new WebhooksService(
                WebhookConfig.from(settings),
                settings.kafkaClientProperties(),
                shared.serdes(),
                Clock.systemUTC());
        running.add(RunningService.of(webhooks, List.of()));
        webhooks.start();
      }
      default -> throw new IllegalStateException("unknown service " + name);
    }
  }

  /** The dispatcher's config, with the demo's short window when one is given. */
  private static ChallengeTopologyConfig challenges(Settings settings, Duration demoWindow) {
    ChallengeTopologyConfig config = ChallengeTopologyConfig.from(settings);
    return demoWindow == null
        ? config
        : SettingsException.checked(() -> config.withDemoWindow(demoWindow));
  }

  /** The services started, in start order (the audit's archiver, {@code archive}, after it). */
  public List<RunningService> services() {
    return running;
  }

  /** Every route of every started service, to mount on the one HTTP port. */
  public List<HttpRoute> routes() {
    return running.stream().flatMap(service -> service.routes().stream()).toList();
  }

  /** The started services that are not ready yet; empty when all are. */
  public List<RunningService> notReady() {
    return running.stream().filter(service -> !service.ready()).toList();
  }

  public AvroSerdes serdes() {
    return shared.serdes();
  }

  /**
   * The one-time codes of {@code otp.secret}.
   *
   * @throws io.optin.kit.config.SettingsException when {@code otp.secret} is not set
   */
  public OtpCodes codes() {
    return shared.codes();
  }

  /**
   * The audit's subject keys ({@code audit.subject.secret}, else derived from {@code otp.secret}).
   */
  public SubjectKeys subjectKeys() {
    return shared.subjectKeys();
  }

  public OptinMetrics metrics() {
    return shared.metrics();
  }

  /** The settings the services run with. */
  public Settings settings() {
    return settings;
  }

  /** Stops the services in the reverse order of their start, then the resources they shared. */
  @Override
  public void close() {
    closeAll(new ArrayList<>(running), resources);
  }

  private static void closeAll(List<RunningService> running, List<AutoCloseable> resources) {
    for (int i = running.size() - 1; i >= 0; i--) {
      closeQuietly(running.get(i), running.get(i).name());
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      closeQuietly(resources.get(i), resources.get(i).getClass().getSimpleName());
    }
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly", what, e);
    }
  }
}
