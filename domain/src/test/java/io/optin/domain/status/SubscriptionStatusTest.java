package io.optin.domain.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.OptInStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SubscriptionStatusTest {

  @Test
  void shouldNameEveryAvroStatusButUnknownAndPublishNoneAsATombstone() {
    // When every status is turned into its Avro symbol
    var avro = Arrays.stream(SubscriptionStatus.values()).map(SubscriptionStatus::toAvro).toList();

    // Then NONE has none, and the others are exactly the Avro symbols but UNKNOWN
    assertThat(SubscriptionStatus.NONE.toAvro()).isNull();
    assertThat(avro.stream().filter(s -> s != null))
        .containsExactlyInAnyOrder(
            Arrays.stream(OptInStatus.values())
                .filter(s -> s != OptInStatus.UNKNOWN)
                .toArray(OptInStatus[]::new));
  }
}
