package io.optin.systemtests.bench;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * Leaves every RocksDB store as Kafka Streams configures it (its own block cache and memtables per
 * store and partition): the unbounded baseline of {@link OpenChallengesBenchmark}, through {@code
 * -Dbench.setting.kafka.rocksdb.config.setter=io.optin.systemtests.bench.KafkaStreamsDefaultRocksDb}.
 */
public final class KafkaStreamsDefaultRocksDb implements RocksDBConfigSetter {

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {}

  @Override
  public void close(String storeName, Options options) {}
}
