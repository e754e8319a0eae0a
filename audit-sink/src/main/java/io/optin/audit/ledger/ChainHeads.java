package io.optin.audit.ledger;

import java.util.function.BiConsumer;

/**
 * Where one ledger partition's writer keeps its chain heads: state stores in the topology, maps in
 * tests.
 */
public interface ChainHeads {

  /** The head of a subject's chain, null before its first record. */
  ChainHead subject(String subjectKey);

  void putSubject(String subjectKey, ChainHead head);

  /** The head of the partition chain, null before its first record. */
  ChainHead partition();

  void putPartition(ChainHead head);

  /** Every subject head, in ascending subjectKey order. */
  void forEachSubject(BiConsumer<String, ChainHead> action);
}
