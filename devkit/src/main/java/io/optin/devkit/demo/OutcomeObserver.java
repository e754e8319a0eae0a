package io.optin.devkit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.OptInStatus;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRejected;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what optin wrote during the demo, committed records only ({@code read_committed}, through
 * optin's own Avro deserializer), and keeps per subscriber what its topics say: confirmations, how
 * its challenge closed, a failed send, refused signups. Everything is read from the beginning: the
 * demo's broker is fresh, so each count is exact. One daemon thread writes; any thread reads.
 */
final class OutcomeObserver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeObserver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Topic<?>> READ =
      List.of(
          Topics.CONFIRMED_SUBSCRIBERS,
          Topics.CHALLENGES,
          Topics.SMS_DELIVERY,
          Topics.SIGNUP_REJECTS,
          Topics.SUBSCRIBER_STATUS,
          Topics.CONSENT_AUDIT,
          Topics.DEAD_LETTERS);

  private final DemoPlan plan;
  private final LatencyRecorder answerToConfirmation;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deserializer<?>> values = new HashMap<>();
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();
  private final Map<String, Instant> answersSent = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> optOuts = new ConcurrentHashMap<>();

  /** Read and written by the reading thread only. */
  private final Map<String, SentTo> acceptedBySid = new HashMap<>();

  private final Map<String, Integer> failuresBySid = new HashMap<>();
  private final Map<ConsentEventType, Integer> auditCounts = new EnumMap<>(ConsentEventType.class);
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger smsSent = new AtomicInteger();
  private final AtomicInteger unplannedConfirmations = new AtomicInteger();
  private final AtomicInteger deadLetters = new AtomicInteger();
  private final AtomicInteger undecodable = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopping;

  OutcomeObserver(
      String bootstrapServers,
      AvroSerdes serdes,
      DemoPlan plan,
      LatencyRecorder answerToConfirmation,
      Clock clock) {
    this.plan = plan;
    this.answerToConfirmation = answerToConfirmation;
    this.clock = clock;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "optin-demo-observer",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?> topic : READ) {
      values.put(topic.name(), serdes.forTopic(topic).deserializer());
      consumer
          .partitionsFor(topic.name())
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = NamedThreads.daemon("optin-demo-observer", this::run);
    this.thread.start();
  }

  /** What the topics said about this subscriber so far. */
  Observed of(DemoSubscriber subscriber) {
    return observed.getOrDefault(subscriber.key(), Observed.NOTHING);
  }

  /** Completes once an OPTED_OUT status of this phone is on the status topic. */
  CompletableFuture<Void> optedOut(String phone) {
    return optOuts.computeIfAbsent(phone, p -> new CompletableFuture<>());
  }

  /**
   * The driver sent this subscriber's answer now: its confirmation, when read, is timed from here.
   */
  void answerSent(String subscriberKey, Instant at) {
    answersSent.put(subscriberKey, at);
  }

  int issued() {
    return issued.get();
  }

  int smsSent() {
    return smsSent.get();
  }

  /** SubscriberConfirmed records of no subscriber of the plan: there must be none. */
  int unplannedConfirmations() {
    return unplannedConfirmations.get();
  }

  int deadLetters() {
    return deadLetters.get();
  }

  int undecodable() {
    return undecodable.get();
  }

  /** Records of the consent audit topic per event type, so far. */
  synchronized Map<ConsentEventType, Integer> auditCounts() {
    return Map.copyOf(auditCounts);
  }

  private void run() {
    try {
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          read(record);
        }
      }
    } catch (WakeupException e) {
      // close() asked to stop.
    } catch (RuntimeException e) {
      LOG.error(
          "the demo stopped reading optin's topics; the summary will miss what came after", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void read(ConsumerRecord<String, byte[]> record) {
    Object value;
    try {
      value =
          record.value() == null
              ? null
              : values.get(record.topic()).deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      LOG.warn(
          "undecodable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    if (value instanceof SubscriberConfirmed confirmed) {
      confirmed(confirmed);
    } else if (value instanceof ChallengeEvent event) {
      if (event.getType() == ChallengeEventType.ISSUED) {
        issued.incrementAndGet();
      } else if (event.getType() == ChallengeEventType.CLOSED) {
        update(
            event.getProgramId(),
            event.getPhone(),
            o -> o.closedAs(event.getOutcome(), event.getReason()));
      }
    } else if (value instanceof SmsDeliveryReport report) {
      delivery(report);
    } else if (value instanceof SignupRejected reject) {
      rejected(reject);
    } else if (value instanceof SubscriberStatus status
        && status.getStatus() == OptInStatus.OPTED_OUT) {
      optedOut(status.getPhone()).complete(null);
    } else if (value instanceof ConsentAuditRecord audit) {
      synchronized (this) {
        auditCounts.merge(audit.getEventType(), 1, Integer::sum);
      }
    } else if (record.topic().equals(Topics.DEAD_LETTERS.name())) {
      deadLetters.incrementAndGet();
    }
  }

  private void confirmed(SubscriberConfirmed confirmed) {
    String key = DemoSubscriber.keyOf(confirmed.getProgramId(), confirmed.getPhone());
    if (plan.find(confirmed.getProgramId(), confirmed.getPhone()).isEmpty()) {
      unplannedConfirmations.incrementAndGet();
      return;
    }
    Observed before = observed.getOrDefault(key, Observed.NOTHING);
    Instant answered = answersSent.get(key);
    if (before.confirmations().isEmpty() && answered != null) {
      answerToConfirmation.record(Duration.between(answered, clock.instant()));
    }
    update(
        confirmed.getProgramId(),
        confirmed.getPhone(),
        o -> o.confirmedBy(confirmed.getMethod(), confirmed.getConfirmedVia()));
  }

  private void delivery(SmsDeliveryReport report) {
    boolean sms = report.getChannel() == null || report.getChannel() == MessageChannel.SMS;
    if (report.getSource() == ReportSource.STATUS_CALLBACK) {
      if (sms && failed(report) && report.getMessageSid() != null) {
        smsFailedLater(report.getMessageSid(), report.getErrorCode());
      }
      return;
    }
    if (report.getSource() != ReportSource.SENDER) {
      return;
    }
    if (report.getStatus() == DeliveryStatus.FAILED && report.getProgramId() != null) {
      update(report.getProgramId(), report.getPhone(), o -> o.smsFailed(report.getErrorCode()));
    } else if (sms
        && (report.getStatus() == DeliveryStatus.QUEUED
            || report.getStatus() == DeliveryStatus.SENT)) {
      smsSent.incrementAndGet();
      if (report.getMessageSid() != null && report.getProgramId() != null) {
        smsAccepted(report.getMessageSid(), report.getProgramId(), report.getPhone());
      }
    }
  }

  private static boolean failed(SmsDeliveryReport report) {
    return (report.getStatus() == DeliveryStatus.UNDELIVERED
            || report.getStatus() == DeliveryStatus.FAILED)
        && report.getErrorCode() != null;
  }

  /**
   * An SMS the sender had accepted: a carrier's later failure (a status callback, which names only
   * the message sid) is then the failure of its program and phone.
   */
  private void smsAccepted(String messageSid, String programId, String phone) {
    Integer failure = failuresBySid.remove(messageSid);
    if (failure != null) {
      update(programId, phone, o -> o.smsFailed(failure));
    } else {
      acceptedBySid.put(messageSid, new SentTo(programId, phone));
    }
  }

  /** A carrier's failure of an accepted SMS; kept until the sender's report of it is read. */
  private void smsFailedLater(String messageSid, int errorCode) {
    SentTo sent = acceptedBySid.get(messageSid);
    if (sent == null) {
      failuresBySid.put(messageSid, errorCode);
    } else {
      update(sent.programId(), sent.phone(), o -> o.smsFailed(errorCode));
    }
  }

  private record SentTo(String programId, String phone) {}

  /**
   * The front door keeps the refused body verbatim: the subscriber is found by the phone and
   * program it sent.
   */
  private void rejected(SignupRejected reject) {
    ByteBuffer raw = reject.getRawValue();
    if (raw == null) {
      return;
    }
    try {
      byte[] bytes = new byte[raw.remaining()];
      raw.duplicate().get(bytes);
      JsonNode body = JSON.readTree(bytes);
      String phone = body.path("phone").asText(null);
      String programId = body.path("programId").asText(null);
      int status = Integer.parseInt(reject.getReason().substring(0, 3));
      if (phone != null && programId != null) {
        update(programId, phone, o -> o.rejected(status));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("reject {} is none of the demo's: {}", reject.getRejectId(), e.toString());
    }
  }

  private void update(String programId, String phone, UnaryOperator<Observed> change) {
    observed.compute(
        DemoSubscriber.keyOf(programId, phone),
        (key, before) -> change.apply(before == null ? Observed.NOTHING : before));
  }

  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
