package io.optin.kit.streams;

import java.net.URI;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance of a Streams application owns a key of one of its stores: this one, another one
 * (by the HTTP address it advertises as {@code application.server}), or none known right now. A key
 * whose owner is not known (the app is starting or rebalancing, the metadata names no host) is
 * {@link Unknown}: the caller answers 503 and never guesses, since a store that does not hold a key
 * answers as if the key did not exist.
 */
public final class KeyOwners {

  /** Where a key's active store lives. */
  public sealed interface Owner permits Local, Remote, Unknown {}

  /** This instance hosts the active store of the key's {@code partition}. */
  public record Local(int partition) implements Owner {}

  /** Another instance does, reachable at {@code url} ({@code http://host:port}). */
  public record Remote(URI url, int partition) implements Owner {}

  /** No owner is known now; retry shortly. */
  public record Unknown(String reason) implements Owner {}

  /** Kafka Streams' metadata of a key, e.g. {@link KafkaStreams#queryMetadataForKey}. */
  @FunctionalInterface
  public interface MetadataSource {
    /**
     * @throws RuntimeException when the app cannot tell (not started, shutting down)
     */
    KeyQueryMetadata metadata(String store, String key);
  }

  private final MetadataSource source;
  private final HostInfo self;

  /**
   * @param self the address this instance advertises ({@code application.server})
   */
  public KeyOwners(MetadataSource source, HostInfo self) {
    this.source = Objects.requireNonNull(source, "source");
    this.self = Objects.requireNonNull(self, "self");
  }

  /**
   * The owners of {@code streams}' keys (string keys, partitioned by Kafka's default partitioner as
   * the producers of optin partition them).
   */
  public static KeyOwners of(KafkaStreams streams, HostInfo self) {
    return new KeyOwners(
        (store, key) -> streams.queryMetadataForKey(store, key, Serdes.String().serializer()),
        self);
  }

  /** {@code host:port} of an advertised {@code http://host:port} URL. */
  public static HostInfo hostOf(URI advertised) {
    return new HostInfo(advertised.getHost(), advertised.getPort());
  }

  /** The owner of {@code key} in {@code store} as the app knows it now. */
  public Owner ownerOf(String store, String key) {
    KeyQueryMetadata metadata;
    try {
      metadata = source.metadata(store, key);
    } catch (RuntimeException e) {
      // StreamsNotStartedException, IllegalStateException while not running or rebalancing...
      return new Unknown("no metadata: " + e.getClass().getSimpleName());
    }
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
      return new Unknown("metadata not available");
    }
    HostInfo active = metadata.activeHost();
    if (active == null || HostInfo.unavailable().equals(active) || active.port() <= 0) {
      return new Unknown("no active host");
    }
    if (active.equals(self)) {
      return new Local(metadata.partition());
    }
    String host = active.host().contains(":") ? "[" + active.host() + "]" : active.host();
    return new Remote(URI.create("http://" + host + ":" + active.port()), metadata.partition());
  }
}
