package io.optin.server.cli;

import io.optin.audit.tools.ConsentExport;
import io.optin.audit.tools.ConsentExportDocument;
import io.optin.audit.tools.ConsentExportJson;
import io.optin.audit.tools.ConsentExports;
import io.optin.domain.otp.PhoneMask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit export --phone +…}: the proof of consent of one phone, as JSON, text or HTML.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export the proof of consent of one phone: the consent text shown, source URL, IP, user agent, "
          + "every message sent (code masked), every reply, delivery statuses, the outcome per program and whether "
          + "the subject's chain is intact; or that the subject was erased, and when.",
      "Exit 1 when the ledger holds nothing for the phone."
    })
public final class AuditExportCommand implements Callable<Integer> {

  enum Format {
    json,
    text,
    html
  }

  @Mixin private AuditToolSettings tool;

  @Option(
      names = "--phone",
      required = true,
      paramLabel = "E164",
      description = "The phone, e.g. +14155550123.")
  private String phone;

  @Option(names = "--format", defaultValue = "json", description = "json (default), text or html.")
  private Format format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write to FILE instead of the standard output.")
  private Path output;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ConsentExport export;
    try {
      export =
          new ConsentExports(
                  tool.topics(tool.serdes()), tool.subjects(), tool.master(), Clock.systemUTC())
              .export(phone);
    } catch (TimeoutException e) {
      spec.commandLine().getErr().println("optin: cannot read the ledger: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
    if (export.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("optin: the ledger holds no consent record for " + PhoneMask.mask(phone));
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
    String document =
        switch (format) {
          case text -> ConsentExportDocument.text(export);
          case html -> ConsentExportDocument.html(export);
          case json -> ConsentExportJson.toPrettyString(export) + "\n";
        };
    if (output != null) {
      Files.writeString(output, document, StandardCharsets.UTF_8);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(document);
      out.flush();
    }
    return 0;
  }
}
