package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.streams.KeyOwners.Local;
import io.optin.kit.streams.KeyOwners.Remote;
import io.optin.kit.streams.KeyOwners.Unknown;
import java.net.URI;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** The routing decision for a key: this instance, another one, or none known (503). */
class KeyOwnersTest {

  private static final HostInfo SELF = new HostInfo("replies-1.internal", 8080);
  private static final HostInfo OTHER = new HostInfo("replies-2.internal", 8081);

  @Test
  void shouldAnswerLocallyWhenThisInstanceHostsTheActiveStore() {
    // Given metadata naming this instance as the active host of partition 3
    KeyOwners owners = owners(new KeyQueryMetadata(SELF, Set.of(OTHER), 3));

    // Then
    assertThat(owners.ownerOf("subscriber-status", "+14155550100")).isEqualTo(new Local(3));
  }

  @Test
  void shouldForwardToTheActiveHostWhenAnotherInstanceOwnsTheKey() {
    // Given metadata naming another instance (this one only a standby)
    KeyOwners owners = owners(new KeyQueryMetadata(OTHER, Set.of(SELF), 1));

    // Then the key is forwarded to its advertised HTTP address, never read from the standby
    assertThat(owners.ownerOf("subscriber-status", "+14155550100"))
        .isEqualTo(new Remote(URI.create("http://replies-2.internal:8081"), 1));
  }

  @Test
  void shouldKnowNoOwnerWhileTheMetadataIsNotAvailable() {
    // Given a rebalance: Kafka Streams has no metadata for the key
    KeyOwners owners = owners(KeyQueryMetadata.NOT_AVAILABLE);

    // Then
    assertThat(owners.ownerOf("subscriber-status", "+14155550100"))
        .isEqualTo(new Unknown("metadata not available"));
  }

  @Test
  void shouldKnowNoOwnerWhenTheActiveHostIsUnavailable() {
    KeyOwners owners = owners(new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), 0));

    assertThat(owners.ownerOf("reply-outcomes", "+14155550100"))
        .isEqualTo(new Unknown("no active host"));
  }

  @Test
  void shouldKnowNoOwnerWhenTheAppCannotTellYet() {
    // Given an app not started (or shutting down), whose metadata call throws
    KeyOwners owners =
        new KeyOwners(
            (store, key) -> {
              throw new StreamsNotStartedException("not started");
            },
            SELF);

    // Then
    assertThat(owners.ownerOf("reply-outcomes", "+14155550100"))
        .isEqualTo(new Unknown("no metadata: StreamsNotStartedException"));
  }

  @Test
  void shouldAskForTheStoreAndKeyItWasGiven() {
    KeyOwners owners =
        new KeyOwners(
            (store, key) ->
                store.equals("reply-outcomes") && key.equals("+14155550100")
                    ? new KeyQueryMetadata(SELF, Set.of(), 2)
                    : KeyQueryMetadata.NOT_AVAILABLE,
            SELF);

    assertThat(owners.ownerOf("reply-outcomes", "+14155550100")).isEqualTo(new Local(2));
    assertThat(owners.ownerOf("reply-outcomes", "+14155550199"))
        .isInstanceOf(KeyOwners.Unknown.class);
  }

  @Test
  void shouldTakeTheHostAndPortOfTheAdvertisedUrl() {
    assertThat(KeyOwners.hostOf(URI.create("http://replies-1.internal:8080"))).isEqualTo(SELF);
  }

  private static KeyOwners owners(KeyQueryMetadata metadata) {
    return new KeyOwners((store, key) -> metadata, SELF);
  }
}
