package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SignupsTest {

  @Test
  void shouldSizeASignupAsTheWireFormatCarriesIt() {
    // Given a signup as the bench sends it, and optin's own serializer
    SignupRequested signup =
        Signups.signup(
            "+14155550100",
            "00000000-0000-0000-0000-000000000000",
            Instant.parse("2026-12-03T10:00:00Z"));
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

    // When
    byte[] wire =
        serdes
            .forTopic(Topics.SIGNUP_REQUESTS)
            .serializer()
            .serialize(Topics.SIGNUP_REQUESTS.name(), signup);

    // Then the size computed without a registry is the serializer's
    assertThat(BenchRun.wireSize(signup)).isEqualTo(wire.length);
  }

  @Test
  void shouldNameWhatWentWrongUnderTheWrappers() {
    Exception wrapped =
        new ExecutionException(
            new UncheckedIOException(
                new IOException("POST failed", new SocketTimeoutException("slow"))));

    assertThat(Signups.rootCause(wrapped))
        .hasMessage("slow")
        .isInstanceOf(SocketTimeoutException.class);
  }
}
