package io.optin.kit.streams;

import io.optin.kit.files.OwnerOnly;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka Streams app of optin, run the same way for all: a subclass supplies its name, its
 * application id and its {@link Topology}; this base owns the {@link KafkaStreams} (exactly-once
 * properties from {@link StreamsConfigs}), its state listener, the failure policy, health, metrics
 * and a clean close.
 *
 * <p><b>Failure policy.</b> Inside a processor, an {@link UnprocessableRecordException} (a record
 * no retry can process) becomes a dead letter and the next record is processed ({@link
 * RecordFailures}); any other exception (a bug, a store error, the registry unreachable while an
 * output is serialized) fails the stream thread, which aborts the transaction: nothing of the
 * record is committed, and it is processed again by the thread's replacement. Skipping it instead
 * would, under exactly-once, drop its outputs for good (a confirmation, a ledger step). A dead
 * thread is replaced within a {@link RestartBudget} (by default 3 in 5 minutes, after a growing
 * backoff spent on the dying thread); the first death past the budget shuts the client down ({@code
 * PENDING_ERROR}, then {@code ERROR}) and the service is dead for good: {@link #live()} turns false
 * and {@code /health/live} answers 503, so that the process is restarted rather than left serving
 * without its stream. Typed refusals of business rules (a reject, a malformed record decoded by
 * {@link DecodingDeserializer}) stay in the topologies: they are outputs, not failures.
 *
 * <p>Ready is {@code RUNNING}. Live is false in {@code PENDING_ERROR} and {@code ERROR}, and when
 * the client stopped without {@link #close()} being called.
 */
public abstract class StreamsService implements ServiceHealth, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

  /** How long {@link #close()} waits for the stream threads to finish their work. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final String applicationId;
  private final KafkaStreams streams;
  private final RestartBudget budget;
  private final OptinMetrics metrics;
  private final Metrics.Binding clientMetrics;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicBoolean deathLogged = new AtomicBoolean();
  private volatile boolean closeRequested;

  /**
   * Builds the client (it connects on {@link #start()}).
   *
   * @param name the service's word, for health, metrics and logs ({@code dispatcher}…)
   * @param applicationId the Streams application id (consumer group, state directory, internal
   *     topic prefix)
   * @param clientSettings Kafka client and Streams settings ({@code bootstrap.servers}, {@code
   *     state.dir}…); they override the defaults of {@link StreamsConfigs}, never exactly-once or
   *     the failure handling
   * @param options the restart budget, the dead-letter writer and the metrics
   */
  protected StreamsService(
      String name,
      String applicationId,
      Topology topology,
      Map<String, String> clientSettings,
      Options options) {
    this.name = Objects.requireNonNull(name, "name");
    this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(options, "options");
    this.budget = options.budget().fresh();
    this.metrics = options.metrics();
    Properties props = StreamsConfigs.forApplication(applicationId, clientSettings);
    RecordFailures.configure(props, options.deadLetters());
    String stateDir = props.getProperty(StreamsConfig.STATE_DIR_CONFIG);
    ownerOnly(stateDir);
    this.streams = new KafkaStreams(Objects.requireNonNull(topology, "topology"), props);
    // Kafka Streams opens its directories to the group (rwxr-x---) as it creates them: closed
    // again.
    ownerOnly(stateDir);
    ownerOnly(stateDir == null ? null : Path.of(stateDir, applicationId).toString());
    streams.setStateListener(this::onStateChange);
    streams.setUncaughtExceptionHandler(this::onThreadDeath);
    metrics.watchStreamsState(
        name,
        Arrays.stream(KafkaStreams.State.values()).map(Enum::name).toList(),
        () -> streams.state().name());
    // Threads, tasks, stores and the embedded clients (lag, commit latency, RocksDB), by service.
    this.clientMetrics = metrics.bindKafkaStreams(name, streams);
  }

  /** Starts processing in the background; the app is ready once {@code RUNNING}. */
  public void start() {
    streams.start();
    LOG.info("{} started (application {}, restart budget {})", name, applicationId, budget);
  }

  @Override
  public String name() {
    return name;
  }

  public String applicationId() {
    return applicationId;
  }

  @Override
  public boolean ready() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  public boolean live() {
    return switch (streams.state()) {
      case PENDING_ERROR, ERROR -> false;
      case PENDING_SHUTDOWN, NOT_RUNNING -> closeRequested;
      default -> true;
    };
  }

  @Override
  public String state() {
    return streams.state().name();
  }

  /** The Streams state. */
  public KafkaStreams.State streamsState() {
    return streams.state();
  }

  /** The client, for interactive queries and Streams metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Stops the stream threads (waiting up to {@link #CLOSE_TIMEOUT}) and releases the client. */
  @Override
  public void close() {
    closeRequested = true;
    closing.countDown();
    // A static member (group.instance.id) stays in the group after a plain close, holding its
    // partitions until session.timeout.ms; a clean stop leaves explicitly, so that the others take
    // them over at once. Only a crashed member is waited for, and a restarted one takes them back.
    if (!streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT))) {
      LOG.warn("{} did not stop within {}", name, CLOSE_TIMEOUT);
    }
    clientMetrics.close();
  }

  private StreamThreadExceptionResponse onThreadDeath(Throwable exception) {
    RestartBudget.Decision decision = budget.onThreadDeath();
    if (decision.replace() && !closeRequested) {
      metrics.streamThreadReplaced(name);
      LOG.error(
          "{}: a stream thread died; replacing it in {} (replacement {} of {} within {})",
          name,
          decision.backoff(),
          decision.replacementsInWindow(),
          budget.maxReplacements(),
          budget.window(),
          exception);
      awaitBackoff(decision.backoff());
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    if (closeRequested) {
      LOG.warn("{}: a stream thread died while closing: {}", name, exception.toString());
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    if (deathLogged.compareAndSet(false, true)) {
      LOG.error(
          "{}: a stream thread died past its restart budget ({}); shutting the client down for "
              + "good: /health/live answers 503 until the process is restarted",
          name,
          budget,
          exception);
    }
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /** Waits on the dying thread, which holds nothing the others need; a close cuts it short. */
  private void awaitBackoff(Duration backoff) {
    try {
      closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    LOG.info("{}: {} -> {}", name, oldState, newState);
    if (newState == KafkaStreams.State.ERROR && deathLogged.compareAndSet(false, true)) {
      LOG.error(
          "{}: Kafka Streams is in ERROR; the service is dead for good: /health/live answers 503 "
              + "until the process is restarted",
          name);
    }
  }

  @Override
  public String toString() {
    return name + " (" + applicationId + ", " + streams.state() + ")";
  }

  /**
   * How a Streams app is run beyond its topology.
   *
   * @param budget how many dead stream threads are replaced before the client is shut down (each
   *     app counts its own deaths on a {@link RestartBudget#fresh() fresh} copy)
   * @param deadLetters makes the dead letters of records refused with {@link
   *     UnprocessableRecordException}; null when the app throws none
   * @param metrics where the state and the thread replacements are exposed
   */
  public record Options(RestartBudget budget, DeadLetterWriter deadLetters, OptinMetrics metrics) {

    public Options {
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(metrics, "metrics");
    }

    /** The default budget, no dead-letter writer, metrics on a registry of their own. */
    public static Options defaults() {
      return new Options(RestartBudget.defaults(), null, OptinMetrics.unexposed());
    }

    public Options withBudget(RestartBudget budget) {
      return new Options(budget, deadLetters, metrics);
    }

    public Options withDeadLetters(DeadLetterWriter deadLetters) {
      return new Options(budget, deadLetters, metrics);
    }

    public Options withMetrics(OptinMetrics metrics) {
      return new Options(budget, deadLetters, metrics);
    }
  }

  /**
   * The state stores hold the flow's personal data (phones, signups): their directories are for
   * their owner alone (0700), whatever the process's umask.
   */
  private static void ownerOnly(String stateDir) {
    if (stateDir == null) {
      return;
    }
    try {
      OwnerOnly.directory(Path.of(stateDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory " + stateDir, e);
    }
  }
}
