package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

  enum Channel {
    UNKNOWN,
    WEB
  }

  enum Status {
    PENDING,
    CONFIRMED
  }

  record Entry(Status status, String note, Instant at, Channel channel, int count) {}

  record State(boolean flagged, Instant since, Map<String, Entry> entries) {

    /** A question about the state, not a part of it. */
    public boolean isEmpty() {
      return !flagged && since == null && entries.isEmpty();
    }
  }

  private final JsonSerde<State> serde = new JsonSerde<>(State.class);

  @Test
  void shouldWriteComponentsInOrderInstantsAsMillisAndLeaveNullsOut() {
    // Given a state with an entry lacking its note
    State state =
        new State(
            true,
            Instant.ofEpochMilli(5),
            Map.of("p", new Entry(Status.PENDING, null, Instant.ofEpochMilli(7), Channel.WEB, 2)));

    // When written
    byte[] bytes = serde.serializer().serialize("changelog", state);

    // Then it is exactly this JSON, and reads back equal
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"flagged\":true,\"since\":5,\"entries\":{\"p\":"
                + "{\"status\":\"PENDING\",\"at\":7,\"channel\":\"WEB\",\"count\":2}}}");
    assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(state);
  }

  @Test
  void shouldReadWhatAnotherVersionWroteIgnoringUnknownFieldsAndSymbols() {
    // Given a document with a field this version lacks, explicit nulls and a newer channel symbol
    String newer =
        "{\"v\":2,\"flagged\":false,\"since\":null,\"mood\":\"new\",\"entries\":{\"p\":"
            + "{\"status\":\"CONFIRMED\",\"channel\":\"CARRIER_PIGEON\",\"extra\":1}}}";

    // When read
    State read = serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

    // Then what it knows is kept, the unknown symbol reads as UNKNOWN and absent values as defaults
    assertThat(read)
        .isEqualTo(
            new State(
                false,
                null,
                Map.of("p", new Entry(Status.CONFIRMED, null, null, Channel.UNKNOWN, 0))));
  }

  @Test
  void shouldRefuseAnUnknownSymbolOfAnEnumWithoutUnknown() {
    String unknownStatus = "{\"flagged\":false,\"entries\":{\"p\":{\"status\":\"LOST\"}}}";

    assertThatThrownBy(
            () ->
                serde
                    .deserializer()
                    .deserialize("t", unknownStatus.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessage("cannot read State from JSON");
  }

  @Test
  void shouldRefuseGarbageWithSerializationException() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 1, 2}))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldKeepTombstonesNull() {
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
