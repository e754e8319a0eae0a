package io.optin.devkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class DemoLogsTest {

  private final LoggerContext context = new LoggerContext();
  private final DemoLogs.RetriableSequenceErrors filter = new DemoLogs.RetriableSequenceErrors();

  @Test
  void shouldDropOnlyTheBrokersRetriableSequenceErrors() {
    OutOfOrderSequenceException retriable =
        new OutOfOrderSequenceException("Invalid sequence number");

    assertThat(decide("kafka.server.ReplicaManager", retriable)).isEqualTo(FilterReply.DENY);
    assertThat(decide("kafka.server.ReplicaManager", new IllegalStateException("disk full")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("io.optin.replies.RepliesService", retriable)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("kafka.server.ReplicaManager", null)).isEqualTo(FilterReply.NEUTRAL);
  }

  private FilterReply decide(String logger, Throwable t) {
    return filter.decide(
        null, context.getLogger(logger), Level.ERROR, "Error processing append", null, t);
  }
}
