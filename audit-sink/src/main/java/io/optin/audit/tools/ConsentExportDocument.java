package io.optin.audit.tools;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.PersonalData;
import java.util.ArrayList;
import java.util.List;

/**
 * The readable proof of consent: the same content as the JSON, as plain text or a self-contained
 * HTML page (every value escaped), for a person to read or file.
 */
public final class ConsentExportDocument {

  private ConsentExportDocument() {}

  /** Plain text, one block per step. */
  public static String text(ConsentExport export) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines(export)) {
      out.append(line.heading() ? "\n== " + line.text() + " ==\n" : line.text() + "\n");
    }
    return out.toString().stripLeading();
  }

  /** A self-contained HTML page. */
  public static String html(ConsentExport export) {
    StringBuilder out =
        new StringBuilder(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Proof of consent</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                + "h2{border-bottom:1px solid #ccc}p{margin:.2em 0}</style></head><body>\n");
    for (Line line : lines(export)) {
      out.append(
          line.heading()
              ? "<h2>" + escape(line.text()) + "</h2>\n"
              : "<p>" + escape(line.text()) + "</p>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private record Line(boolean heading, String text) {}

  private static List<Line> lines(ConsentExport export) {
    List<Line> lines = new ArrayList<>();
    lines.add(new Line(true, "Proof of consent for " + export.phone()));
    lines.add(new Line(false, "Subject key: " + export.subjectKey()));
    lines.add(new Line(false, "Exported at: " + export.exportedAt()));
    if (export.erasure() != null) {
      lines.add(
          new Line(
              false,
              "ERASED at "
                  + export.erasure().at()
                  + ": "
                  + export.erasure().detail()
                  + ". Personal data recorded before then is unreadable for good."));
    }
    lines.add(
        new Line(
            false,
            "Integrity: "
                + (export.integrity().intact()
                    ? "the subject's chain of "
                        + export.integrity().records()
                        + " records is intact (head "
                        + export.integrity().headHash()
                        + ")"
                    : "BROKEN: " + export.integrity().problem())));
    lines.add(new Line(true, "Outcome"));
    if (export.outcomes().isEmpty()) {
      lines.add(new Line(false, "No program recorded."));
    }
    for (ProvenStatus status : export.outcomes()) {
      lines.add(
          new Line(
              false,
              status.programId()
                  + ": "
                  + status.status()
                  + (status.since() == null ? "" : " since " + status.since())
                  + (status.method() == null ? "" : " (" + status.method() + ")")));
    }
    lines.add(new Line(true, "Steps"));
    for (ConsentExport.Step step : export.steps()) {
      lines.addAll(step(step));
    }
    return lines;
  }

  private static List<Line> step(ConsentExport.Step step) {
    ConsentAuditRecord r = step.record();
    List<Line> lines = new ArrayList<>();
    lines.add(
        new Line(
            false,
            "#"
                + r.getSequence()
                + " "
                + r.getOccurredAt()
                + " "
                + r.getEventType()
                + (r.getProgramId() == null ? "" : " program " + r.getProgramId())));
    ConsentEvidence evidence = r.getEvidence();
    if (evidence != null) {
      lines.add(
          new Line(
              false,
              "  Consent text shown ("
                  + evidence.getChannel()
                  + ", "
                  + evidence.getLocale()
                  + (evidence.getConsentTextVersion() == null
                      ? ""
                      : ", version " + evidence.getConsentTextVersion())
                  + "): \""
                  + evidence.getConsentText()
                  + "\""));
    }
    PersonalData p = step.personal();
    if (p != null) {
      add(lines, "  Phone: ", p.getPhone());
      add(lines, "  Source URL: ", p.getPageUrl());
      add(lines, "  IP: ", p.getIp());
      add(lines, "  User agent: ", p.getUserAgent());
      add(lines, "  Message: ", p.getMessageText());
    } else if (step.personalState() == ConsentExport.PersonalState.ERASED) {
      lines.add(new Line(false, "  Personal data: erased"));
    }
    if (r.getProviderStatus() != null || r.getProviderSid() != null) {
      lines.add(
          new Line(
              false,
              "  Delivery: "
                  + (r.getProviderStatus() == null ? "" : r.getProviderStatus())
                  + (r.getProviderSid() == null ? "" : " sid " + r.getProviderSid())
                  + (r.getErrorCode() == null ? "" : " error " + r.getErrorCode())));
    }
    add(lines, "  Method: ", r.getMethod());
    add(lines, "  Detail: ", r.getDetail());
    lines.add(new Line(false, "  Event " + r.getEventId() + ", hash " + r.getHash()));
    return lines;
  }

  private static void add(List<Line> lines, String label, String value) {
    if (value != null) {
      lines.add(new Line(false, label + value));
    }
  }
}
