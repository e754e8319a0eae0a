package io.optin.devkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.SignupRequested;
import io.optin.avro.SourceChannel;
import io.optin.devkit.demo.GatewayClient;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How a flow's signup enters optin: blocking, on the caller's thread; the flow is told how it was
 * answered.
 */
interface Signups extends AutoCloseable {

  String PROGRAM = "bench";
  String IP = "203.0.113.7";

  void send(Flow flow, FlowBook book);

  @Override
  default void close() {}

  /** {@code POST /v1/signups}, as a marketing platform's form does. */
  static Signups http(URI gateway, String token) {
    GatewayClient client = new GatewayClient(gateway, token);
    ObjectMapper json = new ObjectMapper();
    return (flow, book) -> {
      try {
        GatewayClient.Answer answer =
            client.signUp(flow.phone, PROGRAM, IP, "optin-bench/1 (flow " + flow.index + ")");
        long now = System.nanoTime();
        String signupId = null;
        if (answer.status() == 202 && answer.body() != null) {
          JsonNode body = json.readTree(answer.body());
          signupId = body.path("signupId").asText(null);
        }
        book.accepted(flow, answer.status(), signupId, now);
      } catch (IOException | RuntimeException e) {
        if (!(rootCause(e) instanceof InterruptedException)) {
          flow.failed(rootCause(e).toString(), System.nanoTime());
        }
        // Interrupted: the run ended with this signup still unanswered, which is what it counts as.
      }
    };
  }

  /**
   * SignupRequested records produced straight to {@code optin.signup-requests.v1} by an idempotent
   * producer; accepted when acknowledged by every in-sync replica.
   */
  static Signups kafka(String bootstrapServers, AvroSerdes serdes) {
    Serializer<SignupRequested> values = serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer();
    KafkaProducer<String, SignupRequested> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "optin-bench-signups",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "1"),
            new StringSerializer(),
            values);
    return new Signups() {
      @Override
      public void send(Flow flow, FlowBook book) {
        SignupRequested signup = signup(flow.phone, UUID.randomUUID().toString(), Instant.now());
        try {
          producer
              .send(new ProducerRecord<>(Topics.SIGNUP_REQUESTS.name(), flow.phone, signup))
              .get();
          book.accepted(flow, 202, signup.getSignupId(), System.nanoTime());
        } catch (ExecutionException | RuntimeException e) {
          flow.failed(rootCause(e).toString(), System.nanoTime());
        } catch (InterruptedException e) {
          // The run ended with this signup still unacknowledged, which is what it counts as.
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void close() {
        producer.close();
      }
    };
  }

  /** What went wrong underneath the wrappers (UncheckedIOException, ExecutionException). */
  static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A signup as the front door would publish it for this phone. */
  static SignupRequested signup(String phone, String signupId, Instant at) {
    return SignupRequested.newBuilder()
        .setSignupId(signupId)
        .setProgramId(PROGRAM)
        .setPhone(phone)
        .setOccurredAt(at)
        .setEvidence(
            ConsentEvidence.newBuilder()
                .setConsentText(GatewayClient.CONSENT_TEXT)
                .setConsentTextVersion("demo-1")
                .setConsentTextSha256(ConsentTextHash.of(GatewayClient.CONSENT_TEXT))
                .setChannel(SourceChannel.WEB_FORM)
                .setPageUrl("https://demo.optin.example/signup")
                .setIp(IP)
                .setUserAgent("optin-bench/1")
                .setLocale("en-US")
                .build())
        .build();
  }
}
