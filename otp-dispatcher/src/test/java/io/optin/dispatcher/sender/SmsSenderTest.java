package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.optin.avro.DeadLetter;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sms.FakeTwilioApi;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.streams.Decoded;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox loop's transaction discipline, with Kafka's own client doubles and a real HTTP Twilio:
 * an intent commits before its send, reports commit with the offsets they free, an aborted commit
 * is retried with the same records, a fenced sender stops before sending.
 */
class SmsSenderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final TopicPartition OUTBOX_0 = new TopicPartition(Topics.SMS_OUTBOUND.name(), 0);
  private static final String PHONE = "+14155550100";
  private static final String SID = "SM" + "b".repeat(32);

  /**
   * A transactional producer whose next commits fail with the given errors; after a commit that
   * timed out it refuses any call but the same commit, as Kafka's producer does.
   */
  private static final class FailingCommits extends MockProducer<byte[], byte[]> {
    private final java.util.ArrayDeque<RuntimeException> failures = new java.util.ArrayDeque<>();
    private boolean commitTimedOut;
    private Runnable onCommit = () -> {};

    /** While set, every commit fails with it (for a loop running on its own thread). */
    private volatile RuntimeException failEveryCommit;

    FailingCommits() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void commitTransaction() {
      onCommit.run();
      RuntimeException always = failEveryCommit;
      if (always != null) {
        throw always;
      }
      RuntimeException failure = failures.poll();
      if (failure != null) {
        commitTimedOut = failure instanceof org.apache.kafka.common.errors.TimeoutException;
        throw failure;
      }
      commitTimedOut = false;
      super.commitTransaction();
    }

    @Override
    public void abortTransaction() {
      refuseAfterATimedOutCommit("abortTransaction");
      super.abortTransaction();
    }

    @Override
    public void beginTransaction() {
      refuseAfterATimedOutCommit("beginTransaction");
      super.beginTransaction();
    }

    private void refuseAfterATimedOutCommit(String operation) {
      if (commitTimedOut) {
        throw new IllegalStateException(
            "Cannot attempt operation `"
                + operation
                + "` because the previous call to `commitTransaction` timed out and must be"
                + " retried");
      }
    }
  }

  /**
   * A consumer whose poll waits as Kafka's does: until a record is added, a poll task is scheduled,
   * {@link #wakeup()} is called or the timeout passed.
   */
  private static final class WaitingConsumer
      extends MockConsumer<byte[], Decoded<SmsSendRequested>> {
    private final Object signal = new Object();
    private boolean signalled;

    WaitingConsumer() {
      super("earliest");
    }

    @Override
    public ConsumerRecords<byte[], Decoded<SmsSendRequested>> poll(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (signal) {
        for (long left = timeout.toNanos();
            !signalled && left > 0;
            left = deadline - System.nanoTime()) {
          try {
            TimeUnit.NANOSECONDS.timedWait(signal, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
          }
        }
        signalled = false;
      }
      return super.poll(Duration.ZERO);
    }

    @Override
    public void wakeup() {
      super.wakeup();
      signal();
    }

    @Override
    public void addRecord(ConsumerRecord<byte[], Decoded<SmsSendRequested>> record) {
      super.addRecord(record);
      signal();
    }

    @Override
    public void schedulePollTask(Runnable task) {
      super.schedulePollTask(task);
      signal();
    }

    private void signal() {
      synchronized (signal) {
        signalled = true;
        signal.notifyAll();
      }
    }
  }

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockConsumer<byte[], Decoded<SmsSendRequested>> consumer =
      new MockConsumer<>("earliest");
  private final FailingCommits producer = new FailingCommits();
  private final ExecutorService sending = Executors.newFixedThreadPool(2);
  private FakeTwilioApi twilio;
  private TwilioSmsGateway gateway;
  private OutboxCommandHandler handler;
  private SmsSender sender;

  @BeforeEach
  void setUp() throws IOException {
    twilio = new FakeTwilioApi();
    gateway =
        TwilioSmsGateway.create(
            TwilioClientSettings.of(
                    TwilioCredentials.authToken("AC" + "1".repeat(32), "test-auth-token"))
                .withApiBaseUrl(twilio.baseUrl()));
    handler =
        new OutboxCommandHandler(
            new MessageTemplates(Map.of()),
            OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6),
            new RetryingSmsGateway(gateway, RetryPolicy.noRetries()),
            new DeliveredCommands(Duration.ofDays(7), clock),
            SenderConfig.from(
                TestDispatcherSettings.with(
                    Map.of("sms.sender.id", "test", "twilio.from", "+15005550006"))),
            clock,
            () -> UUID.randomUUID().toString());
    sender =
        new SmsSender(
            consumer,
            producer,
            handler,
            sending,
            serdes,
            clock,
            2,
            Duration.ofSeconds(5),
            () -> {});
    producer.initTransactions();
    consumer.assign(List.of(OUTBOX_0));
    consumer.updateBeginningOffsets(Map.of(OUTBOX_0, 0L));
  }

  @AfterEach
  void tearDown() {
    sending.shutdownNow();
    gateway.close();
    twilio.close();
  }

  @Test
  void shouldCommitTheIntentBeforeSendingThenTheReportTogetherWithTheConsumedOffset() {
    // Given a command at offset 0 that Twilio accepts
    twilio.thenCreated(SID);
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls once
    sender.pollOnce();

    // Then a first transaction holds the intent and no offset: the command is in flight
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactly(Topics.SMS_INTENTS.name());
    assertThat(intents())
        .singleElement()
        .satisfies(
            intent -> {
              assertThat(intent.getCommandId()).isEqualTo("cmd-1");
              assertThat(intent.getPhone()).isEqualTo(PHONE);
              assertThat(intent.getFromNumber()).isEqualTo("+15005550006");
              assertThat(intent.getBodyHash()).hasSize(64);
              assertThat(intent.getSenderId()).isEqualTo("test");
            });
    assertThat(producer.consumerGroupOffsetsHistory()).isEmpty();

    // And once the send completed, a later turn commits the report with the next offset to read
    pollUntilReports(1);
    assertThat(reports())
        .singleElement()
        .satisfies(
            report -> {
              assertThat(report.getCommandId()).isEqualTo("cmd-1");
              assertThat(report.getMessageSid()).isEqualTo(SID);
            });
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(consumer.groupMetadata().groupId(), Map.of(OUTBOX_0, new OffsetAndMetadata(1))));
    assertThat(twilio.forms()).hasSize(1);
    assertThat(sender.inFlight()).isZero();
  }

  @Test
  void shouldCommitSameIntentAgainAfterAbortedCommitAndSendOnce() {
    // Given the first commit fails with an abortable error
    twilio.thenCreated(SID);
    producer.failures.add(new KafkaException("coordinator moved"));
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls until the report is committed
    sender.pollOnce();
    pollUntilReports(1);

    // Then the intent was committed once, the SMS went out once, its report was committed once
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    assertThat(twilio.forms()).hasSize(1);
    assertThat(reports()).extracting(SmsDeliveryReport::getCommandId).containsExactly("cmd-1");
    assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
  }

  @Test
  void shouldHoldTheSendUntilAPollRejoinedTheGroupWhenTheCoordinatorForgotTheMember() {
    // Given the coordinator forgot this member during a broker outage: the next commits fail, more
    // often than an abortable error is retried at once
    twilio.thenCreated(SID);
    for (int i = 0; i < 4; i++) {
      producer.failures.add(
          new CommitFailedException("The coordinator is not aware of this member."));
    }
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls, its intent's commit failing each time
    for (int i = 0; i < 4; i++) {
      sender.pollOnce();
    }

    // Then nothing is committed or sent yet, and the sender goes on
    assertThat(producer.history()).isEmpty();
    assertThat(twilio.forms()).isEmpty();
    assertThat(sender.inFlight()).isEqualTo(1);

    // And once a later poll (which rejoins the group) commits the intent, it is sent once and
    // reported once
    pollUntilReports(1);
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    assertThat(twilio.forms()).hasSize(1);
    assertThat(reports()).extracting(SmsDeliveryReport::getCommandId).containsExactly("cmd-1");
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(consumer.groupMetadata().groupId(), Map.of(OUTBOX_0, new OffsetAndMetadata(1))));
  }

  @Test
  void shouldRetryTheSameCommitWhenItTimedOutWhileTheBrokerWasDown() {
    // Given a broker down past max.block.ms: the next two commits time out
    twilio.thenCreated(SID);
    for (int i = 0; i < 2; i++) {
      producer.failures.add(
          new org.apache.kafka.common.errors.TimeoutException(
              "Timeout expired after 60000ms while awaiting EndTxn(true)"));
    }
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls until the command is reported
    pollUntilReports(1);

    // Then the timed-out commit was retried as it was (no abort, no new transaction), and the
    // intent, the SMS and the report each happened once
    assertThat(producer.transactionAborted()).isFalse();
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    assertThat(twilio.forms()).hasSize(1);
    assertThat(reports()).extracting(SmsDeliveryReport::getCommandId).containsExactly("cmd-1");
  }

  @Test
  void shouldStopWithoutSendingWhenFencedBeforeTheIntentCommitted() {
    // Given another instance fenced this one
    twilio.thenCreated(SID);
    producer.failures.add(new ProducerFencedException("a newer sender took over"));
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls, it gives up instead of retrying
    assertThatThrownBy(sender::pollOnce).isInstanceOf(ProducerFencedException.class);

    // Then nothing was committed, and nothing was sent: the intent came first
    assertThat(producer.history()).isEmpty();
    assertThat(producer.consumerGroupOffsetsHistory()).isEmpty();
    assertThat(twilio.forms()).isEmpty();
  }

  @Test
  void shouldDeadLetterUnreadableCommandAndSendTheNext() {
    // Given garbage at offset 0 and a command at offset 1
    twilio.thenCreated(SID);
    byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
    consumer.addRecord(
        new ConsumerRecord<>(
            OUTBOX_0.topic(),
            0,
            0,
            PHONE.getBytes(StandardCharsets.UTF_8),
            decoder().deserialize(OUTBOX_0.topic(), garbage)));
    consumer.addRecord(outboxRecord(1, command("cmd-2")));

    // When the sender polls until the command is reported
    sender.pollOnce();
    pollUntilReports(1);

    // Then the garbage is a dead letter committed with the command's intent and the offset up to
    // the command in flight, and the report follows with the offset past it
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent)
        .extracting(ProducerRecord::topic)
        .containsExactly(
            Topics.DEAD_LETTERS.name(), Topics.SMS_INTENTS.name(), Topics.SMS_DELIVERY.name());
    DeadLetter letter =
        serdes
            .forTopic(Topics.DEAD_LETTERS)
            .deserializer()
            .deserialize(Topics.DEAD_LETTERS.name(), sent.get(0).value());
    assertThat(letter.getRawValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(letter.getSourceOffset()).isZero();
    String group = consumer.groupMetadata().groupId();
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(group, Map.of(OUTBOX_0, new OffsetAndMetadata(1))),
            Map.of(group, Map.of(OUTBOX_0, new OffsetAndMetadata(2))));
  }

  @Test
  void shouldPauseTheOutboxWhileAsManyCommandsAreInFlightAsAllowedAndResumeBelow() {
    // Given a provider that holds its answers, and as many commands as may be in flight (2)
    twilio.thenHang();
    consumer.addRecord(outboxRecord(0, command("cmd-1")));
    consumer.addRecord(outboxRecord(1, command("cmd-2")));

    // When the sender polls them, then a third command arrives
    sender.pollOnce();
    consumer.addRecord(outboxRecord(2, command("cmd-3")));
    sender.pollOnce();

    // Then the outbox is paused with two in flight, and the third command is not read
    assertThat(consumer.paused()).containsExactly(OUTBOX_0);
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1", "cmd-2");

    // When the provider goes away (the held requests fail) and their reports are committed
    twilio.close();
    pollUntilReports(2);

    // Then the outbox is resumed, and the third command is read
    assertThat(consumer.paused()).isEmpty();
    sender.pollOnce();
    assertThat(intents())
        .extracting(SmsSendIntent::getCommandId)
        .containsExactly("cmd-1", "cmd-2", "cmd-3");
  }

  @Test
  void shouldCommitTheReportAsSoonAsTheSendCompletesWhileThePollWaitsForNewCommands()
      throws Exception {
    // Given a running sender whose poll waits up to a minute for new commands
    twilio.thenCreated(SID);
    WaitingConsumer waiting = new WaitingConsumer();
    SmsSender running = waitingSender(waiting, Duration.ofMinutes(1));
    Thread loop = start(running);
    waiting.schedulePollTask(
        () -> {
          waiting.rebalance(List.of(OUTBOX_0));
          waiting.updateBeginningOffsets(Map.of(OUTBOX_0, 0L));
          waiting.addRecord(outboxRecord(0, command("cmd-1")));
        });

    // When the command is sent, and no other command arrives
    // Then its report is committed with its offset long before the poll's timeout
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(reports())
                    .extracting(SmsDeliveryReport::getCommandId)
                    .containsExactly("cmd-1"));
    String group = waiting.groupMetadata().groupId();
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(Map.of(group, Map.of(OUTBOX_0, new OffsetAndMetadata(1))));

    // And the wakeup did not stop the loop: the next command is sent and reported too
    waiting.addRecord(outboxRecord(1, command("cmd-2")));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(reports())
                    .extracting(SmsDeliveryReport::getCommandId)
                    .containsExactly("cmd-1", "cmd-2"));
    assertThat(loop.isAlive()).isTrue();
    running.stop();
    loop.join(Duration.ofSeconds(10).toMillis());
    assertThat(loop.isAlive()).isFalse();
    assertThat(producer.transactionAborted()).isFalse();
    assertThat(twilio.forms()).hasSize(2);
  }

  @Test
  void shouldCommitTheTransactionAndGoOnWhenASendCompletesDuringTheCommit() {
    // Given a commit during which the loop is woken, as a send completing then does
    twilio.thenCreated(SID);
    producer.onCommit = consumer::wakeup;
    consumer.addRecord(outboxRecord(0, command("cmd-1")));

    // When the sender polls until the command is reported, its next poll being woken at once
    sender.pollOnce();
    pollUntilReports(1);

    // Then no transaction was aborted, the intent, the SMS and the report each happened once, and
    // the offset past the command is committed
    assertThat(producer.transactionAborted()).isFalse();
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    assertThat(twilio.forms()).hasSize(1);
    assertThat(reports()).extracting(SmsDeliveryReport::getCommandId).containsExactly("cmd-1");
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(consumer.groupMetadata().groupId(), Map.of(OUTBOX_0, new OffsetAndMetadata(1))));
    assertThat(sender.inFlight()).isZero();
  }

  @Test
  void shouldStopWhileASendIsInFlightThenCommitItsReportOnceItCompletes() throws Exception {
    // Given a running sender with a send in flight at a provider that holds its answer, its poll
    // waiting up to a minute for new commands
    twilio.thenHang();
    WaitingConsumer waiting = new WaitingConsumer();
    SmsSender running = waitingSender(waiting, Duration.ofMinutes(1));
    Thread loop = start(running);
    waiting.schedulePollTask(
        () -> {
          waiting.rebalance(List.of(OUTBOX_0));
          waiting.updateBeginningOffsets(Map.of(OUTBOX_0, 0L));
          waiting.addRecord(outboxRecord(0, command("cmd-1")));
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> twilio.forms().size() == 1);

    // When the sender is stopped, then the provider's answer comes (it goes away: the send fails)
    running.stop();
    twilio.close();

    // Then the loop ends, having committed the send's report with the offset past it
    loop.join(Duration.ofSeconds(10).toMillis());
    assertThat(loop.isAlive()).isFalse();
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    assertThat(reports()).extracting(SmsDeliveryReport::getCommandId).containsExactly("cmd-1");
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(waiting.groupMetadata().groupId(), Map.of(OUTBOX_0, new OffsetAndMetadata(1))));
    assertThat(running.inFlight()).isZero();
  }

  @Test
  void shouldCommitTheReportOfASendInFlightBeforeItsPartitionIsRevoked() throws Exception {
    // Given a running sender with a send in flight at a provider that holds its answer
    twilio.thenHang();
    WaitingConsumer waiting = new WaitingConsumer();
    SmsSender running = waitingSender(waiting, Duration.ofMinutes(1));
    Thread loop = start(running);
    waiting.schedulePollTask(
        () -> {
          waiting.rebalance(List.of(OUTBOX_0));
          waiting.updateBeginningOffsets(Map.of(OUTBOX_0, 0L));
          waiting.addRecord(outboxRecord(0, command("cmd-1")));
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> twilio.forms().size() == 1);

    // When the provider answers (it goes away: the send fails) as the partition is revoked
    waiting.schedulePollTask(
        () -> {
          twilio.close();
          waiting.rebalance(List.of());
        });

    // Then the revocation awaited the send and committed its report with the offset past it, and
    // the sender goes on without the partition
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(reports())
                    .extracting(SmsDeliveryReport::getCommandId)
                    .containsExactly("cmd-1"));
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of(waiting.groupMetadata().groupId(), Map.of(OUTBOX_0, new OffsetAndMetadata(1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.assignment().isEmpty());
    assertThat(running.inFlight()).isZero();
    assertThat(loop.isAlive()).isTrue();
    running.stop();
    loop.join(Duration.ofSeconds(10).toMillis());
    assertThat(loop.isAlive()).isFalse();
  }

  @Test
  void shouldSendACommandOnceWhenItsPartitionCameBackAfterItsIntentCouldNotBeCommitted()
      throws Exception {
    // Given a running sender whose group forgot it during a broker outage: every commit fails,
    // so the polled command's intent is pending and its send held
    twilio.thenCreated(SID);
    producer.failEveryCommit =
        new CommitFailedException("The coordinator is not aware of this member.");
    WaitingConsumer waiting = new WaitingConsumer();
    SmsSender running = waitingSender(waiting, Duration.ofMillis(50));
    Thread loop = start(running);
    waiting.schedulePollTask(
        () -> {
          waiting.rebalance(List.of(OUTBOX_0));
          waiting.updateBeginningOffsets(Map.of(OUTBOX_0, 0L));
          waiting.addRecord(outboxRecord(0, command("cmd-1")));
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> running.inFlight() == 1);

    // When the partition is taken away and given back once the group is rejoined, and the command
    // is read again from the last committed offset
    waiting.schedulePollTask(
        () -> {
          waiting.rebalance(List.of());
          producer.failEveryCommit = null;
          waiting.rebalance(List.of(OUTBOX_0));
          waiting.addRecord(outboxRecord(0, command("cmd-1")));
        });

    // Then it is sent once, with one intent and one report, and its offset committed: the dropped
    // send was neither skipped as already handled nor its intent committed without a send
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(reports())
                    .extracting(SmsDeliveryReport::getCommandId)
                    .containsExactly("cmd-1"));
    assertThat(twilio.forms()).hasSize(1);
    assertThat(intents()).extracting(SmsSendIntent::getCommandId).containsExactly("cmd-1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(producer.consumerGroupOffsetsHistory())
                    .last()
                    .isEqualTo(
                        Map.of(
                            waiting.groupMetadata().groupId(),
                            Map.of(OUTBOX_0, new OffsetAndMetadata(1)))));
    running.stop();
    loop.join(Duration.ofSeconds(10).toMillis());
    assertThat(loop.isAlive()).isFalse();
  }

  private SmsSender waitingSender(WaitingConsumer waiting, Duration pollTimeout) {
    return new SmsSender(
        waiting,
        producer,
        handler,
        sending,
        serdes,
        clock,
        2,
        Duration.ofSeconds(5),
        () -> {},
        pollTimeout);
  }

  private static Thread start(SmsSender running) {
    Thread loop = new Thread(running, "sms-sender-test-loop");
    loop.setDaemon(true);
    loop.start();
    return loop;
  }

  private void pollUntilReports(int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              sender.pollOnce();
              assertThat(reports()).hasSize(count);
            });
  }

  private List<SmsSendIntent> intents() {
    return producer.history().stream()
        .filter(record -> record.topic().equals(Topics.SMS_INTENTS.name()))
        .map(
            record ->
                serdes
                    .forTopic(Topics.SMS_INTENTS)
                    .deserializer()
                    .deserialize(record.topic(), record.value()))
        .toList();
  }

  private List<SmsDeliveryReport> reports() {
    return producer.history().stream()
        .filter(record -> record.topic().equals(Topics.SMS_DELIVERY.name()))
        .map(
            record ->
                serdes
                    .forTopic(Topics.SMS_DELIVERY)
                    .deserializer()
                    .deserialize(record.topic(), record.value()))
        .toList();
  }

  private Deserializer<Decoded<SmsSendRequested>> decoder() {
    return DecodingDeserializer.serde(serdes.forTopic(Topics.SMS_OUTBOUND).deserializer())
        .deserializer();
  }

  private ConsumerRecord<byte[], Decoded<SmsSendRequested>> outboxRecord(
      long offset, SmsSendRequested command) {
    byte[] bytes =
        serdes.forTopic(Topics.SMS_OUTBOUND).serializer().serialize(OUTBOX_0.topic(), command);
    return new ConsumerRecord<>(
        OUTBOX_0.topic(),
        0,
        offset,
        PHONE.getBytes(StandardCharsets.UTF_8),
        decoder().deserialize(OUTBOX_0.topic(), bytes));
  }

  private static SmsSendRequested command(String commandId) {
    return CodeCommands.code(commandId, PHONE, NOW);
  }
}
