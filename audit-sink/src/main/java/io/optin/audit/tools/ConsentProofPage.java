package io.optin.audit.tools;

import static io.optin.audit.tools.ConsentExportDocument.escape;
import static io.optin.audit.tools.ConsentExportDocument.visible;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The readable page of a {@link ConsentProof}, shared by the HTML export and the consent
 * certificate: a summary box first, then the timeline of every step and channel, the evidence, and
 * the ledger hashes last. Self-contained (inline style only, no script, no external resource) and
 * laid out for print on A4 and Letter alike.
 *
 * <p>The page is a pure function of the proof (and, for a certificate, of its signature block): a
 * verifier renders it again from the embedded payload and compares it with the file byte for byte,
 * so nothing a reader sees can differ from what is signed. Every fact sits on its own line with a
 * {@code data-fact} name, which is how a mismatch is reported.
 */
public final class ConsentProofPage {

  /** Marks the embedded payload and signature blocks of a certificate. */
  static final String PAYLOAD_ID = "optin-certificate-payload";

  static final String SIGNATURE_ID = "optin-certificate-signature";

  private static final String STYLE =
      "@page{size:auto;margin:14mm 12mm}"
          + "body{font:10pt/1.4 Helvetica,Arial,sans-serif;color:#111;max-width:186mm;"
          + "margin:1em auto;padding:0 1em}"
          + "h1{font-size:16pt;margin:0 0 .2em}h2{font-size:12pt;border-bottom:1px solid #999;"
          + "margin:1.2em 0 .4em;break-after:avoid}"
          + ".meta{color:#444;margin:0 0 .8em}"
          + ".summary{border:2px solid #222;padding:.4em .8em;break-inside:avoid}"
          + ".summary.bad{border-color:#b00}"
          + "table{border-collapse:collapse;width:100%;table-layout:fixed}"
          + "th,td{text-align:left;vertical-align:top;padding:2px 4px;overflow-wrap:anywhere}"
          + ".facts th{width:28%;font-weight:600}"
          + ".grid th,.grid td{border:1px solid #aaa;font-size:8.5pt}"
          + ".grid thead{display:table-header-group}.grid tr{break-inside:avoid}"
          + "blockquote{margin:0;padding:.2em .5em;border-left:3px solid #555;white-space:pre-wrap}"
          + ".hash{font-family:Menlo,Consolas,monospace;font-size:7.5pt;word-break:break-all}"
          + ".ok{color:#060;font-weight:600}.ko{color:#b00;font-weight:600}"
          + "@media print{body{max-width:none;margin:0;padding:0}}";

  private ConsentProofPage() {}

  /**
   * The page of {@code proof}; with {@code signature} (the signature block's JSON text) the
   * certificate, which also embeds {@code canonicalProof} as its payload; without, the export.
   */
  static String render(JsonNode proof, String canonicalProof, String signature) {
    boolean certificate = signature != null;
    String title = certificate ? "Consent certificate" : "Proof of consent";
    Page out = new Page();
    out.raw(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\""
            + escape(ConsentExportDocument.CONTENT_SECURITY_POLICY)
            + "\"><meta name=\"referrer\" content=\"no-referrer\"><title>"
            + title
            + "</title><style>"
            + STYLE
            + "</style></head><body>\n");
    JsonNode subject = proof.path("subject");
    out.line(
        "<h1>"
            + title
            + " for <span data-fact=\"phone\">"
            + h(subject.path("phone"))
            + "</span></h1>");
    out.line(
        "<p class=\"meta\">"
            + (certificate ? "Issued " : "Exported ")
            + "<span data-fact=\"issued-at\">"
            + h(proof.path("issuedAt"))
            + "</span> by optin from its consent ledger (format "
            + h(proof.path("format"))
            + ").</p>");
    summary(out, proof, certificate);
    timeline(out, proof);
    evidence(out, proof.path("evidence"));
    hashes(out, proof);
    if (certificate) {
      JsonNode ledger = proof.path("ledger");
      out.line("<h2>Signature</h2>");
      out.line(
          "<p>The machine-readable payload of this certificate is signed with Ed25519 by the"
              + " ledger's checkpoint key <span class=\"hash\" data-fact=\"signing-key\">"
              + h(ledger.path("keyId"))
              + "</span>. Check it offline: <code>optin audit verify-certificate FILE"
              + " --public-key &lt;base64&gt;</code>.</p>");
      out.raw(
          "<script type=\"application/json\" id=\""
              + PAYLOAD_ID
              + "\">"
              + canonicalProof
              + "</script>\n<script type=\"application/json\" id=\""
              + SIGNATURE_ID
              + "\">"
              + signature
              + "</script>\n");
    }
    out.raw("</body></html>\n");
    return out.toString();
  }

  private static void summary(Page out, JsonNode proof, boolean certificate) {
    JsonNode subject = proof.path("subject");
    JsonNode consent = proof.path("consent");
    JsonNode ledger = proof.path("ledger");
    boolean verified =
        ledger.path("subjectChain").path("intact").asBoolean(false)
            && (!certificate || ledger.path("verified").asBoolean(false));
    out.line("<section class=\"summary" + (verified ? "" : " bad") + "\"><table class=\"facts\">");
    fact(
        out,
        "Subscriber",
        "phone-shown",
        h(subject.path("phone")) + (subject.path("phoneMasked").asBoolean() ? " (masked)" : ""));
    JsonNode outcomes = proof.path("outcomes");
    if (outcomes.isEmpty()) {
      fact(out, "Program", "program", h(proof.path("programId"), "no program recorded"));
    }
    for (JsonNode outcome : outcomes) {
      fact(
          out,
          "Program",
          "program",
          h(outcome.path("programId"))
              + (outcome.has("brand") ? " (" + h(outcome.path("brand")) + ")" : ""));
      fact(
          out,
          "Outcome",
          "outcome",
          "<strong>"
              + h(outcome.path("status"))
              + "</strong>"
              + (outcome.has("since") ? " since " + h(outcome.path("since")) : "")
              + (outcome.has("method") ? " by " + h(outcome.path("method")) : ""));
    }
    if (consent.isObject()) {
      fact(
          out,
          "Consent text shown",
          "consent-text",
          "<blockquote>" + h(consent.path("text")) + "</blockquote>");
      fact(
          out,
          "Text version, SHA-256",
          "consent-text-sha256",
          h(consent.path("version"), "(no version)")
              + ", <span class=\"hash\">"
              + h(consent.path("sha256"))
              + "</span>");
      fact(out, "When", "requested-at", h(consent.path("requestedAt")));
      fact(
          out,
          "Where",
          "where",
          h(consent.path("channel"))
              + ", locale "
              + h(consent.path("locale"))
              + ", page "
              + h(consent.path("pageUrl"), "(none)"));
      fact(out, "From IP", "ip", h(consent.path("ip"), personalOr(consent, "(none)")));
      fact(
          out,
          "User agent",
          "user-agent",
          h(consent.path("userAgent"), personalOr(consent, "(none)")));
    } else {
      fact(out, "Consent", "consent-text", "no signup recorded in scope");
    }
    JsonNode erasure = proof.path("erasure");
    if (erasure.isObject()) {
      fact(
          out,
          "Erased",
          "erasure",
          "<span class=\"ko\">ERASED at "
              + h(erasure.path("at"))
              + "</span>: "
              + h(erasure.path("detail"))
              + ". Personal data recorded before then is unreadable for good.");
    }
    JsonNode chain = ledger.path("subjectChain");
    String chainSays =
        chain.path("intact").asBoolean(false)
            ? "subject chain of " + h(chain.path("records")) + " records intact"
            : "subject chain BROKEN: " + h(chain.path("problem"));
    if (certificate) {
      fact(
          out,
          "Ledger",
          "ledger-verified",
          (verified
                  ? "<span class=\"ok\">ledger verified</span>"
                  : "<span class=\"ko\">LEDGER NOT VERIFIED</span>")
              + ": "
              + chainSays
              + "; "
              + h(ledger.path("verdict"))
              + "; key fingerprint <span class=\"hash\">"
              + h(ledger.path("keyId"))
              + "</span>");
    } else {
      fact(
          out,
          "Ledger",
          "ledger-verified",
          (verified ? "<span class=\"ok\">" : "<span class=\"ko\">")
              + chainSays
              + "</span> (<code>optin audit verify</code> checks the whole ledger and its signed"
              + " checkpoints)");
    }
    out.line("</table></section>");
  }

  private static void timeline(Page out, JsonNode proof) {
    out.line("<h2>Timeline</h2>");
    out.line(
        "<table class=\"grid\"><colgroup><col style=\"width:5%\"><col style=\"width:19%\">"
            + "<col style=\"width:15%\"><col style=\"width:10%\"><col style=\"width:16%\">"
            + "<col style=\"width:35%\"></colgroup>");
    out.line(
        "<thead><tr><th>#</th><th>When (UTC)</th><th>Step</th><th>Channel</th>"
            + "<th>Method, status</th><th>Detail</th></tr></thead><tbody>");
    // By time: the chain's order is the order the ledger wrote in, which can differ (a reply read
    // before the sender's report of its code); the hashes section keeps the chain's order.
    List<JsonNode> steps = new ArrayList<>();
    proof.path("steps").forEach(steps::add);
    steps.sort(
        Comparator.comparing((JsonNode step) -> Instant.parse(step.path("occurredAt").asText()))
            .thenComparingLong(step -> step.path("sequence").asLong()));
    for (JsonNode step : steps) {
      StringBuilder detail = new StringBuilder();
      append(detail, "program ", step.path("programId"));
      append(detail, "error ", step.path("errorCode"));
      append(detail, "", step.path("detail"));
      append(detail, "message: ", step.path("message"));
      if ("erased".equals(step.path("personalData").asText())) {
        append(detail, "", "personal data erased");
      }
      StringBuilder how = new StringBuilder();
      append(how, "", step.path("method"));
      append(how, "", step.path("status"));
      out.line(
          "<tr data-fact=\"step-"
              + h(step.path("sequence"))
              + "\"><td>"
              + h(step.path("sequence"))
              + "</td><td>"
              + h(step.path("occurredAt"))
              + "</td><td>"
              + h(step.path("type"))
              + "</td><td>"
              + h(step.path("channel"))
              + "</td><td>"
              + how
              + "</td><td>"
              + detail
              + "</td></tr>");
    }
    out.line("</tbody></table>");
  }

  private static void evidence(Page out, JsonNode evidence) {
    out.line("<h2>Evidence</h2>");
    if (evidence.path("erased").asBoolean(false)) {
      out.line(
          "<p data-fact=\"evidence\">Erased with the subscriber's personal data: whatever the signup"
              + " carried can no longer be read.</p>");
      return;
    }
    if (!evidence.isObject()) {
      out.line("<p data-fact=\"evidence\">No third-party evidence was given with the signup.</p>");
      return;
    }
    out.line("<table class=\"facts\">");
    fact(
        out,
        "TrustedForm certificate",
        "trusted-form",
        h(evidence.path("trustedFormCertUrl"), "(none)"));
    fact(out, "Jornaya LeadiD", "jornaya", h(evidence.path("jornayaLeadId"), "(none)"));
    fact(
        out,
        "Form snapshot SHA-256",
        "form-snapshot",
        "<span class=\"hash\">" + h(evidence.path("formSnapshotSha256"), "(none)") + "</span>");
    for (Iterator<Map.Entry<String, JsonNode>> it = evidence.path("extra").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> extra = it.next();
      fact(out, extra.getKey(), "extra", h(extra.getValue()));
    }
    out.line("</table>");
  }

  private static void hashes(Page out, JsonNode proof) {
    JsonNode ledger = proof.path("ledger");
    JsonNode checkpoint = ledger.path("checkpoint");
    long covered = checkpoint.isObject() ? checkpoint.path("partitionSequence").asLong() : -1;
    out.line("<h2>Ledger hashes</h2>");
    out.line(
        "<p>Each record's SHA-256 over its canonical encoding (docs/ledger.md), chained to the"
            + " subject's previous record; records of other programs are shown by hash only.</p>");
    out.line(
        "<table class=\"grid\"><colgroup><col style=\"width:5%\"><col style=\"width:14%\">"
            + "<col style=\"width:33%\"><col style=\"width:33%\"><col style=\"width:15%\">"
            + "</colgroup>");
    out.line(
        "<thead><tr><th>#</th><th>Step</th><th>Record hash</th><th>Previous hash</th>"
            + "<th>Partition chain</th></tr></thead><tbody>");
    Map<String, String> types = new java.util.HashMap<>();
    for (JsonNode step : proof.path("steps")) {
      types.put(step.path("sequence").asText(), step.path("type").asText());
    }
    for (JsonNode link : ledger.path("chain")) {
      String sequence = link.path("sequence").asText();
      String type = types.getOrDefault(sequence, "(other program)");
      String position =
          link.has("partitionSequence")
              ? "p" + h(link.path("partition")) + " #" + h(link.path("partitionSequence"))
              : "";
      String coverage =
          covered < 0
              ? ""
              : link.path("partitionSequence").asLong(Long.MAX_VALUE) <= covered
                  ? ", under checkpoint"
                  : ", after checkpoint";
      out.line(
          "<tr data-fact=\"hash-"
              + h(link.path("sequence"))
              + "\"><td>"
              + h(link.path("sequence"))
              + "</td><td>"
              + escape(type)
              + "</td><td class=\"hash\">"
              + h(link.path("hash"))
              + "</td><td class=\"hash\">"
              + h(link.path("previousHash"), "(first)")
              + "</td><td>"
              + position
              + coverage
              + "</td></tr>");
    }
    out.line("</tbody></table>");
    if (checkpoint.isObject()) {
      out.line("<h2>Latest signed checkpoint</h2><table class=\"facts\">");
      fact(
          out,
          "Partition, sequence",
          "checkpoint-position",
          "p" + h(checkpoint.path("partition")) + " #" + h(checkpoint.path("partitionSequence")));
      fact(
          out,
          "Head hash",
          "checkpoint-head",
          "<span class=\"hash\">" + h(checkpoint.path("headHash")) + "</span>");
      fact(
          out,
          "Subject heads digest",
          "checkpoint-subjects",
          "<span class=\"hash\">"
              + h(checkpoint.path("subjectHeadsDigest"))
              + "</span> ("
              + h(checkpoint.path("subjects"))
              + " subjects)");
      fact(out, "Checkpointed at", "checkpoint-at", h(checkpoint.path("checkpointedAt")));
      fact(
          out,
          "Signed by key",
          "checkpoint-key",
          "<span class=\"hash\">" + h(checkpoint.path("signingKeyId")) + "</span>");
      fact(
          out,
          "Signature",
          "checkpoint-signature",
          "<span class=\"hash\">" + h(checkpoint.path("signature")) + "</span>");
      out.line("</table>");
    } else if (ledger.has("keyId")) {
      out.line(
          "<p data-fact=\"checkpoint-position\">No signed checkpoint covers this partition yet.</p>");
    }
  }

  private static void fact(Page out, String label, String name, String html) {
    out.line(
        "<tr><th>"
            + escape(label)
            + "</th><td data-fact=\""
            + escape(name)
            + "\">"
            + html
            + "</td></tr>");
  }

  private static String personalOr(JsonNode consent, String none) {
    return "erased".equals(consent.path("personalData").asText()) ? "(erased)" : none;
  }

  private static void append(StringBuilder out, String label, Object value) {
    String text = value instanceof JsonNode node ? textOf(node) : (String) value;
    if (text != null) {
      if (out.length() > 0) {
        out.append("; ");
      }
      out.append(escape(label)).append(escape(visible(text)));
    }
  }

  private static String textOf(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  /** The value escaped for HTML, its hidden characters made visible; empty when absent. */
  private static String h(JsonNode node) {
    return h(node, "");
  }

  private static String h(JsonNode node, String absent) {
    String text = textOf(node);
    return text == null ? escape(absent) : escape(visible(text));
  }

  /** The page, one line per fact. */
  private static final class Page {
    private final StringBuilder out = new StringBuilder(8192);

    void raw(String html) {
      out.append(html);
    }

    void line(String html) {
      out.append(html).append('\n');
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
