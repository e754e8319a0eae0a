package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InFlightOffsetsTest {

  private static final TopicPartition P0 = new TopicPartition("optin.sms-outbound.v1", 0);
  private static final TopicPartition P1 = new TopicPartition("optin.sms-outbound.v1", 1);

  private final InFlightOffsets offsets = new InFlightOffsets();

  @Test
  void shouldCommitOnlyUpToTheLowestCommandStillInFlight() {
    // Given offsets 10, 11, 12 polled and 11, 12 completed out of order
    offsets.polled(P0, 10);
    offsets.polled(P0, 11);
    offsets.polled(P0, 12);
    offsets.completed(P0, 12);
    offsets.completed(P0, 11);

    // Then nothing can be committed past 10, still in flight
    assertThat(offsets.advanced()).isEmpty();
    assertThat(offsets.inFlight()).isEqualTo(1);

    // When 10 completes, everything up to 13 is committable, once
    offsets.completed(P0, 10);
    Map<TopicPartition, OffsetAndMetadata> advanced = offsets.advanced();
    assertThat(advanced).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    offsets.committed(advanced);
    assertThat(offsets.advanced()).isEmpty();
    assertThat(offsets.inFlight()).isZero();
  }

  @Test
  void shouldAdvanceEachPartitionOnItsOwnAndForgetRevokedOnes() {
    // Given two partitions with one command in flight each and completed commands behind
    offsets.polled(P0, 0);
    offsets.polled(P0, 1);
    offsets.polled(P1, 5);
    offsets.polled(P1, 6);
    offsets.completed(P0, 0);
    offsets.completed(P1, 6);

    // Then partition 0 advances to its command in flight, partition 1 not at all
    assertThat(offsets.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
    assertThat(offsets.inFlight(List.of(P1))).isEqualTo(1);

    // When partition 1 is revoked, its command no longer counts, and a late completion is ignored
    offsets.forget(List.of(P1));
    offsets.completed(P1, 5);
    assertThat(offsets.inFlight()).isEqualTo(1);
    assertThat(offsets.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
  }
}
