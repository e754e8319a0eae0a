package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SourceChannel;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.dispatcher.challenge.DispatcherService;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sender.SenderService;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher and the sender as the app runs them, on the embedded broker with exactly-once and
 * the Twilio sandbox: a signup becomes one challenge and one SMS carrying that challenge's code.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DispatchToSmsIT {

  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String FROM = "+15005550006";
  private static final String PHONE = "+14155550123";
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);

  @TempDir Path dataDir;
  @TempDir Path stateDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final List<AutoCloseable> running = new ArrayList<>();
  private EmbeddedKafkaBroker broker;
  private TwilioSandbox twilio;

  @BeforeEach
  void startBrokerAndTwilio() throws Exception {
    broker = EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.all()) {
        topics.add(new NewTopic(topic.name(), 2, (short) 1).configs(topic.configs()));
      }
      admin.createTopics(topics).all().get();
    }
    twilio = new TwilioSandbox("127.0.0.1", 0, "AC" + "0".repeat(32), AUTH_TOKEN).start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    twilio.close();
    broker.close();
  }

  @Test
  void shouldTextTheCodeOfTheChallengeIssuedForSignup() throws Exception {
    // Given the dispatcher and the sender running against the broker and the sandbox
    Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    Settings settings =
        Settings.defaults(DispatcherSettings.CATALOGUE)
            .with(Map.of("twilio.from", FROM, "sms.sender.id", "it"), "test");
    DispatcherService dispatcher =
        new DispatcherService(
            ChallengeTopologyConfig.from(settings),
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()),
            serdes,
            new SubjectKeys(
                "test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8)));
    running.add(dispatcher);
    dispatcher.start();
    TwilioSmsGateway gateway =
        TwilioSmsGateway.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(twilio.accountSid(), AUTH_TOKEN))
                .withApiBaseUrl(twilio.baseUrl()));
    running.add(gateway);
    SenderService sender =
        new SenderService(
            withoutStatusCallback(SenderConfig.from(settings)),
            kafka,
            serdes,
            new MessageTemplates(Map.of("acme-deals", "Acme")),
            CODES,
            gateway);
    running.add(sender);
    sender.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                dispatcher.streamsState() == KafkaStreams.State.RUNNING
                    && sender.senderState() == SenderService.State.RUNNING);

    // When a platform produces a signup
    produceSignup(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    // Then one challenge is issued, its code is texted once, and the send is reported
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readCommitted(Topics.SMS_DELIVERY)).hasSize(1));
    ChallengeEvent issued =
        readCommitted(Topics.CHALLENGES).stream()
            .filter(event -> event.getType() == ChallengeEventType.ISSUED)
            .findFirst()
            .orElseThrow();
    List<SandboxMessage> texts = twilio.messagesTo(PHONE);
    assertThat(texts)
        .singleElement()
        .satisfies(
            sms ->
                assertThat(sms.body())
                    .startsWith("Acme: your code is " + CODES.codeFor(issued.getChallengeId())));
    SmsDeliveryReport report = readCommitted(Topics.SMS_DELIVERY).get(0);
    assertThat(report.getChallengeId()).isEqualTo(issued.getChallengeId());
    assertThat(report.getMessageSid()).isEqualTo(texts.get(0).sid());
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.QUEUED);
    assertThat(readCommitted(Topics.SMS_OUTBOUND)).hasSize(1);
  }

  private void produceSignup(Instant at) throws Exception {
    String consent = "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";
    SignupRequested signup =
        SignupRequested.newBuilder()
            .setSignupId(UUID.randomUUID().toString())
            .setProgramId("acme-deals")
            .setPhone(PHONE)
            .setEvidence(
                ConsentEvidence.newBuilder()
                    .setConsentText(consent)
                    .setConsentTextVersion(null)
                    .setConsentTextSha256(ConsentTextHash.of(consent))
                    .setChannel(SourceChannel.WEB_FORM)
                    .setPageUrl(null)
                    .setIp(null)
                    .setUserAgent(null)
                    .setLocale("en-US")
                    .build())
            .setOccurredAt(at)
            .setIdempotencyKey(null)
            .build();
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] value =
          serdes
              .forTopic(Topics.SIGNUP_REQUESTS)
              .serializer()
              .serialize(Topics.SIGNUP_REQUESTS.name(), signup);
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SIGNUP_REQUESTS.name(),
                  null,
                  at.toEpochMilli(),
                  PHONE.getBytes(StandardCharsets.UTF_8),
                  value))
          .get();
    }
  }

  private <V extends SpecificRecord> List<V> readCommitted(Topic<V> topic) {
    return new CommittedRecords(broker.bootstrapServers(), serdes).read(topic);
  }

  /** No status callback: nothing in this test listens for delivery statuses. */
  private static SenderConfig withoutStatusCallback(SenderConfig config) {
    return new SenderConfig(
        config.instanceId(),
        config.fromNumber(),
        config.messagingServiceSid(),
        null,
        config.concurrency(),
        config.messagesPerSecond(),
        config.retryPolicy(),
        config.dedupeWindow());
  }
}
