package io.optin.dispatcher.sender;

import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.SmsGateway;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.Decoded;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SMS sender: on start it fences any previous transaction of this instance, reads back the
 * commands already reported and the send intents without a report, then sends outbox commands until
 * closed. {@link #close()} lets the sends in flight finish and commits their reports.
 *
 * <p>Health: ready while the send loop runs; dead for good ({@link #live()} false) once the loop
 * stopped on an error, for instance after another instance with the same {@code sms.sender.id}
 * fenced it: only a restart of the process brings it back.
 */
public final class SenderService implements ServiceHealth, AutoCloseable {

  /** The service's word, in health and metrics. */
  public static final String NAME = "sender";

  /** Where the service stands; FAILED means the loop stopped on an error and must be restarted. */
  public enum State {
    CREATED,
    STARTING,
    RUNNING,
    STOPPED,
    FAILED
  }

  private static final Logger log = LoggerFactory.getLogger(SenderService.class);
  private static final Duration HISTORY_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long sends in flight are awaited on a revocation or a stop: one provider request with the
   * default timeouts. Below {@link #CLOSE_TIMEOUT} and the consumer's poll interval.
   */
  private static final Duration DRAIN_TIMEOUT =
      TwilioClientSettings.DEFAULT_CONNECT_TIMEOUT.plus(TwilioClientSettings.DEFAULT_READ_TIMEOUT);

  private final SenderConfig config;
  private final Map<String, String> clientSettings;
  private final AvroSerdes serdes;
  private final Clock clock;
  private final OptinMetrics metrics;
  private final DeliveredCommands delivered;
  private final SendIntents intents;
  private final OutboxCommandHandler handler;
  private final ExecutorService sending;
  private final Thread loop;
  private volatile State state = State.CREATED;
  private volatile boolean closing;
  private volatile SmsSender sender;

  /**
   * @param clientSettings Kafka client settings ({@code bootstrap.servers}, security…), shared by
   *     all clients
   * @param gateway the provider (e.g. {@code TwilioSmsGateway}), one request per call; pacing and
   *     retries are added here. The caller owns and closes it.
   */
  public SenderService(
      SenderConfig config,
      Map<String, String> clientSettings,
      AvroSerdes serdes,
      MessageTemplates templates,
      OtpCodes codes,
      SmsGateway gateway) {
    this(config, clientSettings, serdes, templates, codes, gateway, Clock.systemUTC());
  }

  public SenderService(
      SenderConfig config,
      Map<String, String> clientSettings,
      AvroSerdes serdes,
      MessageTemplates templates,
      OtpCodes codes,
      SmsGateway gateway,
      Clock clock) {
    this(
        config, clientSettings, serdes, templates, codes, gateway, clock, OptinMetrics.unexposed());
  }

  /**
   * @param metrics where SMS sent (by kind) and failed (by provider error code) are counted
   */
  public SenderService(
      SenderConfig config,
      Map<String, String> clientSettings,
      AvroSerdes serdes,
      MessageTemplates templates,
      OtpCodes codes,
      SmsGateway gateway,
      Clock clock,
      OptinMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.clientSettings = Map.copyOf(clientSettings);
    this.serdes = Objects.requireNonNull(serdes, "serdes");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.delivered = new DeliveredCommands(config.dedupeWindow(), clock);
    this.intents = new SendIntents(config.dedupeWindow(), clock);
    RetryingSmsGateway retrying =
        new RetryingSmsGateway(
            new PacedSmsGateway(gateway, new SendPacer(config.messagesPerSecond())),
            config.retryPolicy());
    this.handler =
        new OutboxCommandHandler(
            templates,
            codes,
            retrying,
            delivered,
            intents,
            config,
            clock,
            () -> UUID.randomUUID().toString(),
            metrics);
    this.sending =
        Executors.newFixedThreadPool(config.concurrency(), NamedThreads.daemons("optin-sms-send-"));
    this.loop = new Thread(this::runLoop, "optin-sms-sender-" + config.instanceId());
  }

  /** Starts the sender thread; returns at once (see {@link #state()}). */
  public synchronized void start() {
    if (state != State.CREATED) {
      throw new IllegalStateException("the sender can be started once, it is " + state);
    }
    state = State.STARTING;
    loop.start();
  }

  /** Where the send loop stands. */
  public State senderState() {
    return state;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean ready() {
    return state == State.RUNNING;
  }

  @Override
  public boolean live() {
    return state != State.FAILED;
  }

  @Override
  public String state() {
    return state.name();
  }

  /**
   * Commands handled (sent or reported) within the dedupe window, including those read back on
   * start.
   */
  public int handledCommands() {
    return delivered.size();
  }

  /** Commands found at the provider after a crash rather than sent again, since start. */
  public long recoveredCommands() {
    return handler.recoveredCommands();
  }

  private void runLoop() {
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], Decoded<SmsSendRequested>> consumer =
            new KafkaConsumer<>(
                consumerConfig(),
                new ByteArrayDeserializer(),
                DecodingDeserializer.serde(serdes.forTopic(Topics.SMS_OUTBOUND).deserializer())
                    .deserializer());
        KafkaConsumer<byte[], byte[]> historyReader =
            new KafkaConsumer<>(
                historyConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Metrics.Binding producerMetrics = metrics.bindKafkaClient(NAME, producer);
        Metrics.Binding consumerMetrics = metrics.bindKafkaClient(NAME, consumer)) {
      // First fence our previous incarnation: it aborts the transaction a crash left open, which
      // would otherwise
      // hold back the committed reports that the history must see.
      producer.initTransactions();
      SenderHistory history =
          new SenderHistory(
              historyReader,
              serdes,
              delivered,
              intents,
              config.dedupeWindow(),
              HISTORY_TIMEOUT,
              clock);
      history.load();
      SmsSender current =
          new SmsSender(
              consumer,
              producer,
              handler,
              sending,
              serdes,
              clock,
              config.concurrency(),
              DRAIN_TIMEOUT,
              history::catchUp);
      sender = current;
      // Read after publishing the sender: a close() racing with us either sees it and stops it, or
      // is seen here.
      if (!closing) {
        state = State.RUNNING;
        log.info(
            "SMS sender {} running ({} in flight at most, {} per second)",
            config.instanceId(),
            config.concurrency(),
            config.messagesPerSecond());
        current.run();
      }
      state = State.STOPPED;
    } catch (RuntimeException | Error e) {
      state = State.FAILED;
      log.error(
          "SMS sender {} stopped on an error; it is dead for good: /health/live answers 503 until "
              + "the process is restarted",
          config.instanceId(),
          e);
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  /**
   * Stops after the sends in flight completed (up to a provider timeout) and their reports were
   * committed, then releases the clients and threads.
   */
  @Override
  public void close() {
    closing = true;
    SmsSender current = sender;
    if (current != null) {
      current.stop();
    }
    try {
      loop.join(CLOSE_TIMEOUT.toMillis());
      sending.shutdown();
      if (!sending.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        sending.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sending.shutdownNow();
    }
    if (state == State.CREATED) {
      state = State.STOPPED;
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, SenderConfig.GROUP_ID);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, SenderConfig.GROUP_ID + "-" + config.instanceId());
    return props;
  }

  private Map<String, Object> historyConfig() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        SenderConfig.GROUP_ID + "-" + config.instanceId() + "-history");
    return props;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
    // A transaction begun right after the previous commit often finds the coordinator still
    // writing that commit's markers (CONCURRENT_TRANSACTIONS) and is retried after this backoff:
    // 100 ms by default, the whole latency budget of an SMS. Every send waits for one commit.
    props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    return props;
  }
}
