package io.optin.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code optin topics}: groups the topic tools; alone, it says which ones exist. */
@Command(
    name = "topics",
    description = "Manage optin's Kafka topics.",
    mixinStandardHelpOptions = true,
    subcommands = TopicsCreateCommand.class)
public final class TopicsCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'optin topics create'");
  }
}
