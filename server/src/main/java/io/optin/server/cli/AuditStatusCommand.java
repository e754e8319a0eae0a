package io.optin.server.cli;

import io.optin.audit.tools.ProvenStatus;
import io.optin.audit.tools.StatusAsOf;
import io.optin.domain.otp.PhoneMask;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit status --phone … --program … --at …}: the status at a past instant, replayed
 * from the ledger.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "The opt-in status of a phone for a program as of an instant, by replaying the ledger.")
public final class AuditStatusCommand implements Callable<Integer> {

  @Mixin private AuditToolSettings tool;

  @Option(
      names = "--phone",
      required = true,
      paramLabel = "E164",
      description = "The phone, e.g. +14155550123.")
  private String phone;

  @Option(names = "--program", required = true, paramLabel = "ID", description = "The program id.")
  private String program;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      description = "ISO-8601 instant, e.g. 2026-01-01T00:00:00Z " + "(default: now).")
  private Instant at;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Statuses are not personal data: replaying them needs the subject secret, not the master key.
    ProvenStatus status =
        StatusAsOf.of(
            tool.topics(tool.serdes()).subjectRecords(tool.subjects().keyFor(phone), phone),
            program,
            at == null ? Instant.now() : at);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s %s at %s: %s%s%n",
        PhoneMask.mask(phone),
        program,
        status.at(),
        status.status(),
        status.since() == null
            ? ""
            : " since "
                + status.since()
                + (status.method() == null ? "" : " (" + status.method() + ")")
                + ", event "
                + status.eventId());
    out.flush();
    return 0;
  }
}
