package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubscriberStatusTableTest {

  private static final String PHONE = "+14155550100";

  private final SubscriberStatusTable table = new SubscriberStatusTable();

  private static SubscriberStatus status(String programId, OptInStatus status) {
    return SubscriberStatus.newBuilder()
        .setProgramId(programId)
        .setPhone(PHONE)
        .setStatus(status)
        .setUpdatedAt(Instant.parse("2025-03-01T10:00:00Z"))
        .build();
  }

  @Test
  void shouldKeepTheLatestStatusPerProgram() {
    table.apply("acme:" + PHONE, status("acme", OptInStatus.PENDING));
    table.apply("acme:" + PHONE, status("acme", OptInStatus.CONFIRMED));

    assertThat(table.status("acme", PHONE)).contains(OptInStatus.CONFIRMED);
    assertThat(table.status("other", PHONE)).isEmpty();
    assertThat(table.isOptedOut(PHONE)).isFalse();
  }

  @Test
  void shouldCountAnOptOutOfAnyProgramUntilItIsLifted() {
    table.apply("acme:" + PHONE, status("acme", OptInStatus.CONFIRMED));
    table.apply("news:" + PHONE, status("news", OptInStatus.OPTED_OUT));

    boolean optedOut = table.isOptedOut(PHONE);
    table.apply("news:" + PHONE, status("news", OptInStatus.UNKNOWN));

    assertThat(optedOut).isTrue();
    assertThat(table.isOptedOut(PHONE)).isFalse();
  }

  @Test
  void shouldForgetAnEntryOnATombstone() {
    table.apply("acme:" + PHONE, status("acme", OptInStatus.OPTED_OUT));

    table.apply("acme:" + PHONE, null);

    assertThat(table.status("acme", PHONE)).isEmpty();
    assertThat(table.isOptedOut(PHONE)).isFalse();
    assertThat(table.phones()).isZero();
  }
}
