package io.optin.kit.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the memory of every RocksDB store of the process together: one LRU block cache of {@link
 * #MEMORY_BYTES_CONFIG} bytes shared by all stores and partitions, whose write buffers (memtables)
 * are charged to the same cache up to half of it, with index and filter blocks in it too. Without
 * it Kafka Streams gives each store of each partition its own 50 MiB cache and up to three 16 MiB
 * memtables, unbounded as stores and partitions add up.
 *
 * <p>The cost: reads beyond the cache go to the OS page cache or the disk, and a full write buffer
 * budget flushes memtables early (more, smaller SST files, more compaction).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedRocksDbMemory.class);

  /** Total bytes of block cache and memtables for all stores of the process. */
  public static final String MEMORY_BYTES_CONFIG = "optin.rocksdb.memory.bytes";

  /** Used when the Streams properties do not set {@link #MEMORY_BYTES_CONFIG}. */
  public static final long DEFAULT_MEMORY_BYTES = 128L << 20;

  /** Share of the cache reserved for index and filter blocks (high priority pool). */
  private static final double INDEX_FILTER_RATIO = 0.1;

  /** A memtable is at most this big, and a store has at most two. */
  private static final long MAX_WRITE_BUFFER_BYTES = 16L << 20;

  private static long sharedBytes;
  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    long bytes = memoryBytes(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    synchronized (BoundedRocksDbMemory.class) {
      // One budget per process: the first store's size wins, and every app of the process shares
      // it (they are all built from the same settings).
      if (cache == null) {
        sharedBytes = bytes;
        cache = new LRUCache(bytes, -1, false, INDEX_FILTER_RATIO);
        writeBuffers = new WriteBufferManager(bytes / 2, cache);
        LOG.info(
            "RocksDB memory: {} MiB of block cache shared by every store of the process, {} MiB of"
                + " it at most for write buffers",
            bytes >> 20,
            bytes >> 21);
      }
      table.setBlockCache(cache);
      options.setWriteBufferManager(writeBuffers);
    }
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferSize(Math.min(MAX_WRITE_BUFFER_BYTES, Math.max(1L << 20, bytes / 16)));
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager are shared by every store of the process: never
    // closed with one of them.
  }

  /** The budget in force, 0 before the first store opened. */
  public static synchronized long sharedBytes() {
    return sharedBytes;
  }

  static long memoryBytes(Map<String, ?> configs) {
    Object value = configs.get(MEMORY_BYTES_CONFIG);
    if (value == null || value.toString().isBlank()) {
      return DEFAULT_MEMORY_BYTES;
    }
    long bytes = Long.parseLong(value.toString().trim());
    if (bytes < (8L << 20)) {
      throw new IllegalArgumentException(
          MEMORY_BYTES_CONFIG + " must be at least 8 MiB, was " + bytes);
    }
    return bytes;
  }
}
