package io.optin.server.cli;

import io.optin.kit.config.SettingsException;
import io.optin.server.PortInUseException;
import io.optin.server.topics.TopicProvisioningException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear message and an exit code: 2 for settings a person must fix,
 * 1 for anything else. Expected failures get no stack trace; unexpected ones do, since they are
 * bugs to report.
 */
public final class FailureHandler implements IExecutionExceptionHandler {

  /** Exit code of a command that ran and failed. */
  public static final int FAILED = 1;

  /** Exit code of bad usage or bad settings (picocli's usage code). */
  public static final int BAD_SETTINGS = CommandLine.ExitCode.USAGE;

  @Override
  public int handleExecutionException(
      Exception failure, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (failure instanceof SettingsException) {
      err.println("optin: " + failure.getMessage());
      err.flush();
      return BAD_SETTINGS;
    }
    if (failure instanceof PortInUseException || failure instanceof TopicProvisioningException) {
      err.println("optin: " + failure.getMessage());
      err.flush();
      return FAILED;
    }
    err.println("optin: unexpected failure: " + failure);
    failure.printStackTrace(err);
    err.flush();
    return FAILED;
  }
}
