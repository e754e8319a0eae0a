package io.optin.devkit.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Quiets the log for {@code optin demo}: hundreds of synthetic subscribers make thousands of INFO
 * lines (and the expected refusals of Twilio's magic number make WARN lines) that would bury the
 * progress line and the summary. Errors still show, except the broker's retriable {@code
 * OutOfOrderSequenceException} of transactions v2 (KAFKA-18202): the single-node broker logs dozens
 * under exactly-once load while every record stays exact, and the demo checks exactly that on the
 * topics.
 */
final class DemoLogs {

  private DemoLogs() {}

  static void errorsOnly() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(Level.ERROR)) {
        logger.setLevel(Level.ERROR);
      }
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
    RetriableSequenceErrors filter = new RetriableSequenceErrors();
    filter.start();
    context.addTurboFilter(filter);
  }

  /** Drops the broker's log lines about a retriable out-of-order sequence; nothing else. */
  static final class RetriableSequenceErrors extends TurboFilter {
    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      return t instanceof OutOfOrderSequenceException && logger.getName().startsWith("kafka.")
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
  }
}
