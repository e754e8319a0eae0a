package io.optin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml writes one line per event, whatever the logged values hold. */
class LogLinesTest {

  private static final String PREFIX = "\\d{2}:\\d{2}:\\d{2} INFO  LogLinesTest - ";

  private final LoggerContext context = new LoggerContext();
  private OutputStreamAppender<ILoggingEvent> console;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void configureAsShipped() throws Exception {
    URL shipped = LogLinesTest.class.getClassLoader().getResource("logback.xml");
    assertThat(shipped).isNotNull();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    console =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  private String line(String message, Object arg, Throwable thrown) {
    Logger logger = context.getLogger(LogLinesTest.class);
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(), logger, Level.INFO, message, thrown, new Object[] {arg});
    return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteCrAndLfOfALoggedValueAsEscapes() {
    // Given a request path that tries to forge a second log line
    String path = "/webhooks/x\r\n12:00:00 ERROR Gateway - admin token accepted";

    // When it is logged
    String written = line("refused a webhook on {}", path, null);

    // Then it is one line, the CR and LF visible as escapes
    assertThat(written)
        .matches(
            PREFIX
                + "refused a webhook on /webhooks/x\\\\r\\\\n12:00:00 ERROR Gateway - admin token"
                + " accepted\n");
  }

  @Test
  void shouldReplaceOtherControlCharactersButKeepTabs() {
    // Given a value with ESC (a terminal sequence), NUL, DEL, a C1 control, and a tab
    String value = "a\u001B[2Jb\u0000c\u007Fd\u009Be\tf";

    // When it is logged
    String written = line("value {}", value, null);

    // Then only the tab is kept as is
    assertThat(written).matches(PREFIX + "value a\uFFFD\\[2Jb\uFFFDc\uFFFDd\uFFFDe\tf\n");
  }

  @Test
  void shouldKeepAStackTraceOnItsOwnLines() {
    // Given an exception logged with a message
    IllegalStateException thrown = new IllegalStateException("broken");

    // When it is logged
    String written = line("failed {}", "once", thrown);

    // Then the message is one line and the stack trace follows on lines of its own
    String[] lines = written.split("\n");
    assertThat(lines[0]).matches(PREFIX + "failed once");
    assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: broken");
    assertThat(lines[2]).startsWith("\tat io.optin.server.LogLinesTest.");
  }
}
