package io.optin.kit.streams;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing-exception handler of every optin Streams app: an {@link
 * UnprocessableRecordException} becomes a dead letter (written by the app's {@link
 * DeadLetterWriter} in the same transaction) and processing resumes with the next record; anything
 * else fails the stream thread.
 *
 * <p>Why fail by default: under exactly-once, resuming skips the record for good. An exception that
 * is not a property of the record (a bug, a store error, the registry unreachable while an output
 * is serialized) would then lose that record's output, a confirmation for instance. Failing aborts
 * the transaction; the thread is replaced within the {@link RestartBudget} and the record processed
 * again from the last commit. An exception in a punctuator has no record to dead-letter and fails
 * too.
 *
 * <p>Kafka Streams builds this class from the configuration: {@link #configure(Properties,
 * DeadLetterWriter)} sets it up, with the writer passed as a configuration value. The built-in
 * {@code errors.dead.letter.queue.topic.name} is not used: its raw records would break the Avro
 * contract of the product's dead-letter topic.
 */
public final class RecordFailures implements ProcessingExceptionHandler {

  /** Configuration key of the {@link DeadLetterWriter} object (not a setting). */
  public static final String DEAD_LETTER_WRITER_CONFIG = "optin.dead.letter.writer";

  private static final Logger LOG = LoggerFactory.getLogger(RecordFailures.class);

  private String applicationId = "?";
  private DeadLetterWriter writer;

  /**
   * Adds the failure handling of optin to Streams properties: this handler for processing
   * exceptions, global processors included (optin has none; enabling it is what Kafka 5.0 will do
   * by default, and anything else logs a warning on each start of a stream thread), and failing on
   * a deserialization exception (the product's sources decode with {@link DecodingDeserializer},
   * which routes poison bytes itself).
   *
   * @param writer makes the dead letters; null when the app throws no {@link
   *     UnprocessableRecordException} (one then fails the thread, like any exception)
   */
  public static Properties configure(Properties props, DeadLetterWriter writer) {
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFailures.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // The partition assignor builds a StreamsConfig of its own from the main consumer's
    // configuration, and warns if the setting is not there too.
    props.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    if (writer == null) {
      props.remove(DEAD_LETTER_WRITER_CONFIG);
    } else {
      props.put(DEAD_LETTER_WRITER_CONFIG, writer);
    }
    return props;
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    applicationId = id == null ? "?" : id.toString();
    Object configured = configs.get(DEAD_LETTER_WRITER_CONFIG);
    if (configured != null && !(configured instanceof DeadLetterWriter)) {
      throw new IllegalArgumentException(
          DEAD_LETTER_WRITER_CONFIG
              + " must be a "
              + DeadLetterWriter.class.getName()
              + ", not "
              + configured.getClass().getName());
    }
    writer = (DeadLetterWriter) configured;
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (record == null || !(exception instanceof UnprocessableRecordException refused)) {
      LOG.error(
          "{}: {} failed in {} of task {}{}; failing the stream thread: the transaction is aborted "
              + "and the record processed again",
          applicationId,
          record == null ? "a punctuation" : "processing a record",
          context.processorNodeId(),
          context.taskId(),
          record == null ? "" : " at " + position(context),
          exception);
      return Response.fail();
    }
    if (writer == null) {
      LOG.error(
          "{}: record at {} refused ({}) but the app has no dead-letter writer; failing the "
              + "stream thread",
          applicationId,
          position(context),
          refused.getMessage());
      return Response.fail();
    }
    ProducerRecord<byte[], byte[]> letter =
        writer.deadLetter(
            new FailedRecord(
                applicationId,
                context.topic(),
                context.partition(),
                context.offset(),
                context.timestamp(),
                context.sourceRawKey(),
                context.sourceRawValue(),
                context.processorNodeId(),
                refused.getMessage(),
                refused.field()));
    LOG.warn(
        "{}: dead-lettered the record at {} ({}): {}",
        applicationId,
        position(context),
        context.processorNodeId(),
        refused.getMessage());
    return Response.resume(List.of(letter));
  }

  private static String position(ErrorHandlerContext context) {
    return context.topic() + "-" + context.partition() + "@" + context.offset();
  }
}
