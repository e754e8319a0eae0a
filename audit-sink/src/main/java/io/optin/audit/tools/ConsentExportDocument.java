package io.optin.audit.tools;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.FormEvidence;
import io.optin.avro.PersonalData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The readable proof of consent: the same content as the JSON, as plain text or a self-contained
 * HTML page (every value escaped), for a person to read or file.
 *
 * <p>Stored values come from signups and replies, so both renderings show every character that
 * could act on a terminal or fool a reader as a visible {@code \\uXXXX} (see {@link #visible}): a
 * text export printed to a terminal cannot send it escape sequences, and a value cannot forge a
 * line of the proof. The HTML page carries a Content-Security-Policy that allows no script, no
 * fetch and no form, only its inline style ({@link #CONTENT_SECURITY_POLICY}).
 */
public final class ConsentExportDocument {

  /**
   * The policy of the HTML page, in its {@code <meta>} and in the header where it is served: no
   * script, image, font, fetch, frame or form, only the page's own inline style.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

  private ConsentExportDocument() {}

  /** Plain text, one block per step. */
  public static String text(ConsentExport export) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines(export)) {
      String text = visible(line.text());
      out.append(line.heading() ? "\n== " + text + " ==\n" : text + "\n");
    }
    return out.toString().stripLeading();
  }

  /**
   * A self-contained HTML page: the same layout as the consent certificate ({@link
   * ConsentProofPage}), without its signature.
   */
  public static String html(ConsentExport export) {
    return ConsentProofPage.render(
        ConsentProof.of(export, ConsentProof.Scope.export(), export.exportedAt()), null, null);
  }

  /**
   * {@code text} with every control character but tab (C0 including CR and LF, DEL, C1), every
   * bidirectional embedding, override or isolate, and the line and paragraph separators written as
   * {@code \\uXXXX}, and a backslash doubled so that such an escape cannot be forged by the value
   * itself.
   */
  static String visible(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean shown = c != '\\' && !hidden(c);
      if (shown && out == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (c == '\\') {
        out.append("\\\\");
      } else if (shown) {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean hidden(char c) {
    return (c < 0x20 && c != '\t')
        || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c'
        || c == '\u2028'
        || c == '\u2029';
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
      FormEvidence form = p.getFormEvidence();
      if (form != null) {
        add(lines, "  TrustedForm certificate: ", form.getTrustedFormCertUrl());
        add(lines, "  Jornaya LeadiD: ", form.getJornayaLeadId());
        add(lines, "  Form snapshot SHA-256: ", form.getFormSnapshotSha256());
        if (form.getExtra() != null) {
          new TreeMap<>(form.getExtra())
              .forEach((key, value) -> add(lines, "  Evidence " + key + ": ", value));
        }
      }
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
