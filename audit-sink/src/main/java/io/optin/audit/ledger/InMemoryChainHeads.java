package io.optin.audit.ledger;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Chain heads in memory: for tests, fixtures and tools that rebuild a partition's chain. */
public final class InMemoryChainHeads implements ChainHeads {

  private final Map<String, ChainHead> subjects = new TreeMap<>();
  private ChainHead partition;

  @Override
  public ChainHead subject(String subjectKey) {
    return subjects.get(subjectKey);
  }

  @Override
  public void putSubject(String subjectKey, ChainHead head) {
    subjects.put(subjectKey, head);
  }

  @Override
  public ChainHead partition() {
    return partition;
  }

  @Override
  public void putPartition(ChainHead head) {
    partition = head;
  }

  @Override
  public void forEachSubject(BiConsumer<String, ChainHead> action) {
    subjects.forEach(action);
  }
}
