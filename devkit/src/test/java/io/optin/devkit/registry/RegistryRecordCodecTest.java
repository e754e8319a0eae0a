package io.optin.devkit.registry;

import static io.optin.devkit.registry.RegistryHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.devkit.registry.RegistryRecord.CompatibilityConfigured;
import io.optin.devkit.registry.RegistryRecord.SchemaRegistered;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryRecordCodecTest {

  private final RegistryRecordCodec codec = new RegistryRecordCodec(new ObjectMapper());

  @Test
  void shouldWriteARegistrationAsConfluentDoesAndReadItBack() {
    // Given a registration
    SchemaRegistered fact =
        new SchemaRegistered(new RegisteredSchema("s-value", 2, 7, "\"string\""));

    // When it is encoded and decoded
    RegistryRecordCodec.Encoded encoded = codec.encode(fact);

    // Then the key and value have Confluent's layout, the key in a fixed field order, and it
    // round-trips
    assertThat(encoded.key())
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s-value\",\"version\":2,\"magic\":1}");
    assertThat(json(encoded.value()))
        .isEqualTo(
            json(
                "{\"subject\":\"s-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}"));
    assertThat(codec.decode(encoded.key(), encoded.value())).contains(fact);
  }

  @Test
  void shouldWriteGlobalAndSubjectConfigUnderDistinctKeys() {
    // Given a global and a subject level
    CompatibilityConfigured global =
        new CompatibilityConfigured(Optional.empty(), Optional.of(CompatibilityLevel.FULL));
    CompatibilityConfigured subject =
        new CompatibilityConfigured(Optional.of("s"), Optional.of(CompatibilityLevel.NONE));

    // When encoded
    RegistryRecordCodec.Encoded g = codec.encode(global);
    RegistryRecordCodec.Encoded s = codec.encode(subject);

    // Then the keys differ (compaction keeps both) and the values carry Confluent's field
    assertThat(g.key()).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    assertThat(s.key()).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"s\",\"magic\":0}");
    assertThat(g.value()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    assertThat(codec.decode(g.key(), g.value())).contains(global);
    assertThat(codec.decode(s.key(), s.value())).contains(subject);
  }

  @Test
  void shouldReadAConfigTombstoneAsAClearedLevelAndIgnoreKindsItDoesNotKeep() {
    assertThat(codec.decode("{\"keytype\":\"CONFIG\",\"subject\":\"s\",\"magic\":0}", null))
        .contains(new CompatibilityConfigured(Optional.of("s"), Optional.empty()));
    assertThat(codec.decode("{\"keytype\":\"NOOP\",\"magic\":0}", null)).isEmpty();
    assertThat(
            codec.decode(
                "{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}"))
        .isEmpty();
    assertThat(
            codec.decode(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"s\",\"version\":1,\"id\":1,\"schema\":\"\\\"int\\\"\",\"deleted\":true}"))
        .isEmpty();
  }
}
