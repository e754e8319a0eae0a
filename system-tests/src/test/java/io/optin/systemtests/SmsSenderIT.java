package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sender.SenderService;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMS sender on a real broker and the Twilio sandbox: every command is texted once, its report
 * is committed with the consumed offset, a replayed outbox sends nothing twice, and a command whose
 * intent has no report is looked up at the provider before it is sent.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SmsSenderIT {

  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String FROM = "+15005550006";
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);

  @TempDir Path dataDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final List<SenderService> services = new ArrayList<>();
  private EmbeddedKafkaBroker broker;
  private TwilioSandbox twilio;
  private TwilioSmsGateway gateway;

  @BeforeEach
  void startBrokerAndTwilio() throws Exception {
    broker = EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start();
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.SMS_OUTBOUND.name(), 2, (short) 1),
                  new NewTopic(Topics.SMS_DELIVERY.name(), 2, (short) 1),
                  new NewTopic(Topics.SMS_INTENTS.name(), 2, (short) 1),
                  new NewTopic(Topics.DEAD_LETTERS.name(), 1, (short) 1)))
          .all()
          .get();
    }
    twilio = new TwilioSandbox("127.0.0.1", 0, "AC" + "0".repeat(32), AUTH_TOKEN).start();
    gateway =
        TwilioSmsGateway.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(twilio.accountSid(), AUTH_TOKEN))
                .withApiBaseUrl(twilio.baseUrl()));
  }

  @AfterEach
  void stopEverything() {
    services.forEach(SenderService::close);
    gateway.close();
    twilio.close();
    broker.close();
  }

  @Test
  void shouldTextEachCommandOnceAndCommitItsReportWithTheOffset() throws Exception {
    // Given a running sender
    startSender("it-1");

    // When two commands, a poison record and a command to an invalid number are put in the outbox
    String alice = "+14155550101";
    String bob = "+14155550102";
    sendCommand(command("cmd-alice", "c-alice", alice));
    sendRaw(Topics.SMS_OUTBOUND, bob, "not avro".getBytes(StandardCharsets.UTF_8));
    sendCommand(command("cmd-bob", "c-bob", bob));
    sendCommand(command("cmd-invalid", "c-invalid", "+15005550001"));

    // Then each phone got its own code once, and every outcome is reported
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readCommitted(Topics.SMS_DELIVERY)).hasSize(3));
    Map<String, SmsDeliveryReport> reports =
        readCommitted(Topics.SMS_DELIVERY).stream()
            .collect(Collectors.toMap(SmsDeliveryReport::getCommandId, r -> r));
    assertSentOnce(alice, "c-alice", reports.get("cmd-alice"));
    assertSentOnce(bob, "c-bob", reports.get("cmd-bob"));
    SmsDeliveryReport invalid = reports.get("cmd-invalid");
    assertThat(invalid.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(invalid.getErrorCode()).isEqualTo(21211);
    assertThat(invalid.getAttempts()).isEqualTo(1);
    // And the poison record is a dead letter, not a stuck sender
    assertThat(readCommitted(Topics.DEAD_LETTERS))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getApplication()).isEqualTo("optin-sms-sender");
              assertThat(letter.getSourceTopic()).isEqualTo(Topics.SMS_OUTBOUND.name());
            });
    // And the consumed offsets were committed with the reports
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(committedOffsets()).isEqualTo(endOffsets(Topics.SMS_OUTBOUND)));
  }

  @Test
  void shouldNotTextAgainWhenOutboxIsReplayedToNewInstance() throws Exception {
    // Given a sender that texted two codes to one phone, then stopped
    String phone = "+14155550103";
    SenderService first = startSender("it-1");
    sendCommand(command("cmd-1", "c-1", phone));
    sendCommand(command("cmd-2", "c-2", phone));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readCommitted(Topics.SMS_DELIVERY)).hasSize(2));
    first.close();

    // And the group's offsets are lost, so the whole outbox will be read again
    try (Admin admin = admin()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> admin.deleteConsumerGroups(List.of(SenderConfig.GROUP_ID)).all().get());
    }

    // When another sender instance starts and a third command follows on the same partition
    SenderService second = startSender("it-2");
    sendCommand(command("cmd-3", "c-3", phone));

    // Then only the third command is texted: the first two were read back from the reports and
    // skipped
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(readCommitted(Topics.SMS_DELIVERY))
                    .extracting(SmsDeliveryReport::getCommandId)
                    .containsExactlyInAnyOrder("cmd-1", "cmd-2", "cmd-3"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(committedOffsets()).isEqualTo(endOffsets(Topics.SMS_OUTBOUND)));
    assertThat(outbound(phone)).hasSize(3);
    assertThat(second.handledCommands()).isEqualTo(3);
  }

  @Test
  void shouldLookUpACommandWhoseIntentHasNoReportAndSendOnlyWhatTheProviderDoesNotHold()
      throws Exception {
    // Given a crashed sender's intents without reports: one whose SMS the provider accepted, one
    // whose request never left
    String delivered = "+14155550104";
    String neverLeft = "+14155550105";
    String text = "Acme: your code is " + CODES.codeFor("c-4") + ". Reply YES.";
    SendResult accepted = gateway.send(OutgoingSms.fromNumber(delivered, FROM, text, null));
    String sid = ((SendResult.Accepted) accepted).sid();
    sendIntent(intent("cmd-4", delivered, CODES.bodyHash(text)));
    sendIntent(intent("cmd-5", neverLeft, CODES.bodyHash("a text that never reached Twilio")));

    // When a sender starts and both commands are read again
    SenderService sender = startSender("it-1");
    sendCommand(command("cmd-4", "c-4", delivered));
    sendCommand(command("cmd-5", "c-5", neverLeft));

    // Then the first is reported with the provider's sid and not sent again, the second is sent
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readCommitted(Topics.SMS_DELIVERY)).hasSize(2));
    Map<String, SmsDeliveryReport> reports =
        readCommitted(Topics.SMS_DELIVERY).stream()
            .collect(Collectors.toMap(SmsDeliveryReport::getCommandId, r -> r));
    assertThat(outbound(delivered)).extracting(SandboxMessage::sid).containsExactly(sid);
    assertThat(reports.get("cmd-4").getMessageSid()).isEqualTo(sid);
    assertThat(reports.get("cmd-4").getAttempts()).isZero();
    assertSentOnce(neverLeft, "c-5", reports.get("cmd-5"));
    assertThat(sender.recoveredCommands()).isEqualTo(1);
    // And each send left an intent first, none holding the code
    assertThat(readCommitted(Topics.SMS_INTENTS))
        .extracting(SmsSendIntent::getCommandId)
        .containsExactlyInAnyOrder("cmd-4", "cmd-5", "cmd-4", "cmd-5");
    assertThat(readCommitted(Topics.SMS_INTENTS).toString())
        .doesNotContain(CODES.codeFor("c-4"))
        .doesNotContain(CODES.codeFor("c-5"));
  }

  private static SmsSendIntent intent(String commandId, String phone, String bodyHash) {
    return SmsSendIntent.newBuilder()
        .setIntentId("intent-" + commandId)
        .setCommandId(commandId)
        .setPhone(phone)
        .setFromNumber(FROM)
        .setMessagingServiceSid(null)
        .setBodyHash(bodyHash)
        .setIntendedAt(Instant.now().minusSeconds(5))
        .setSenderId("crashed")
        .build();
  }

  private void sendIntent(SmsSendIntent intent) throws Exception {
    sendRaw(
        Topics.SMS_INTENTS,
        intent.getPhone(),
        serdes
            .forTopic(Topics.SMS_INTENTS)
            .serializer()
            .serialize(Topics.SMS_INTENTS.name(), intent));
  }

  private void assertSentOnce(String phone, String challengeId, SmsDeliveryReport report) {
    String code = CODES.codeFor(challengeId);
    assertThat(outbound(phone))
        .singleElement()
        .satisfies(
            sms -> {
              assertThat(sms.body()).contains(code);
              assertThat(sms.from()).isEqualTo(FROM);
              assertThat(report.getMessageSid()).isEqualTo(sms.sid());
            });
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.QUEUED);
    assertThat(report.getSource()).isEqualTo(ReportSource.SENDER);
    assertThat(report.getAttempts()).isEqualTo(1);
    assertThat(report.getMaskedBody()).contains("******").doesNotContain(code);
  }

  private List<SandboxMessage> outbound(String phone) {
    return twilio.messagesTo(phone).stream().filter(m -> !m.inbound()).toList();
  }

  private SenderService startSender(String instanceId) {
    SenderConfig config =
        new SenderConfig(
            instanceId,
            FROM,
            null,
            null,
            2,
            50.0,
            new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5),
            Duration.ofDays(7));
    SenderService service =
        new SenderService(
            config,
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            serdes,
            new MessageTemplates(Map.of()),
            CODES,
            gateway);
    services.add(service);
    service.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> service.senderState() == SenderService.State.RUNNING);
    return service;
  }

  private static SmsSendRequested command(String commandId, String challengeId, String phone) {
    Instant now = Instant.now();
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(challengeId)
        .setProgramId("acme-deals")
        .setPhone(phone)
        .setFromNumber(null)
        .setLocale("en-US")
        .setExpiresAt(now.plus(Duration.ofMinutes(10)))
        .setRequestedAt(now)
        .build();
  }

  private void sendCommand(SmsSendRequested command) throws Exception {
    sendRaw(
        Topics.SMS_OUTBOUND,
        command.getPhone(),
        serdes
            .forTopic(Topics.SMS_OUTBOUND)
            .serializer()
            .serialize(Topics.SMS_OUTBOUND.name(), command));
  }

  private void sendRaw(Topic<?> topic, String key, byte[] value) throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    }
  }

  private <V extends SpecificRecord> List<V> readCommitted(Topic<V> topic) {
    return new CommittedRecords(broker.bootstrapServers(), serdes).read(topic);
  }

  private Map<TopicPartition, Long> committedOffsets() throws Exception {
    try (Admin admin = admin()) {
      return admin
          .listConsumerGroupOffsets(SenderConfig.GROUP_ID)
          .partitionsToOffsetAndMetadata()
          .get()
          .entrySet()
          .stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private Map<TopicPartition, Long> endOffsets(Topic<?> topic) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> request =
          Map.of(
              new TopicPartition(topic.name(), 0), OffsetSpec.latest(),
              new TopicPartition(topic.name(), 1), OffsetSpec.latest());
      return admin.listOffsets(request).all().get().entrySet().stream()
          .filter(e -> e.getValue().offset() > 0)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }
}
