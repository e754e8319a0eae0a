package io.optin.kit.streams;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes the dead letter of a record no retry can process: the record written, in the same
 * transaction as the input offsets, in place of the refused record's output. The product's writer
 * makes a typed {@code DeadLetter} on {@code optin.dead-letters.v1}.
 */
@FunctionalInterface
public interface DeadLetterWriter {

  /**
   * The dead letter of {@code failed}, serialized. May throw (the registry is unreachable, say):
   * the stream thread then fails and the record is processed again, never skipped without a trace.
   */
  ProducerRecord<byte[], byte[]> deadLetter(FailedRecord failed);
}
