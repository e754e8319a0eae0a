package io.optin.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code optin audit}: the compliance tools over the consent ledger (docs/ledger.md). */
@Command(
    name = "audit",
    description = "Verify, export, erase and replay the consent ledger.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AuditVerifyCommand.class,
      AuditExportCommand.class,
      AuditEraseCommand.class,
      AuditStatusCommand.class,
      AuditCertificateCommand.class,
      AuditVerifyCertificateCommand.class
    })
public final class AuditCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing subcommand: try 'optin audit verify', 'export', 'erase', 'status', 'certificate'"
            + " or 'verify-certificate'");
  }
}
