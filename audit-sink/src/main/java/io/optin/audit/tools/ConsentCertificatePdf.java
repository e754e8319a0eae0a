package io.optin.audit.tools;

import static io.optin.audit.tools.ConsentExportDocument.visible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.crypto.CheckpointSigningKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The consent certificate as PDF (Apache PDFBox): the same sections as the HTML page, in the
 * standard Helvetica and Courier fonts (nothing embedded, so the bytes depend on the payload
 * alone), the payload and signature blocks embedded as the files {@value #PAYLOAD_FILE} and {@value
 * #SIGNATURE_FILE}. A4 pages whose text stays within 528 x 742 pt from the top left, which Letter
 * paper holds too. Characters the standard fonts cannot show are printed as {@code ?}; the payload
 * keeps them exactly.
 *
 * <p>Verified like the HTML: signature, then the file must be byte for byte the PDF its payload
 * renders to; a difference is named by the first differing line of text.
 */
final class ConsentCertificatePdf {

  static final String PAYLOAD_FILE = "optin-certificate-payload.json";
  static final String SIGNATURE_FILE = "optin-certificate-signature.json";

  private static final float LEFT = 36;
  private static final float TOP = 842 - 36;
  private static final float WIDTH = 528;
  private static final float BOTTOM = 842 - 36 - 742;

  private ConsentCertificatePdf() {}

  static boolean isPdf(byte[] file) {
    return file.length > 5 && new String(file, 0, 5, StandardCharsets.ISO_8859_1).equals("%PDF-");
  }

  /** The certificate of {@code proof} as PDF, signed with {@code key}. */
  static byte[] issue(ObjectNode proof, CheckpointSigningKey key) {
    String payload = ConsentProof.canonical(proof);
    return render(proof, payload, ConsentCertificate.signatureBlock(payload, key));
  }

  static ConsentCertificate.Verdict verify(byte[] file, CheckpointPublicKey key) {
    Map<String, String> embedded;
    try (PDDocument document = Loader.loadPDF(file)) {
      embedded = embeddedFiles(document);
    } catch (IOException | RuntimeException e) {
      return new ConsentCertificate.Verdict(
          false, "the PDF cannot be read: it was altered or is not a certificate");
    }
    String payload = embedded.get(PAYLOAD_FILE);
    String signature = embedded.get(SIGNATURE_FILE);
    if (payload == null || signature == null) {
      return new ConsentCertificate.Verdict(
          false, "no embedded payload and signature: not an optin consent certificate, or altered");
    }
    ConsentCertificate.Checked checked = ConsentCertificate.checkSigned(payload, signature, key);
    if (checked.failure() != null) {
      return checked.failure();
    }
    byte[] expected;
    try {
      expected = render(checked.proof(), payload, signature);
    } catch (RuntimeException e) {
      return new ConsentCertificate.Verdict(
          false, "the signed payload cannot be rendered: " + e.getMessage());
    }
    if (!java.util.Arrays.equals(expected, file)) {
      return new ConsentCertificate.Verdict(false, difference(expected, file));
    }
    return ConsentCertificate.checkContent(checked.proof(), key);
  }

  private static Map<String, String> embeddedFiles(PDDocument document) throws IOException {
    Map<String, String> files = new HashMap<>();
    PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
    if (names == null || names.getEmbeddedFiles() == null) {
      return files;
    }
    Map<String, PDComplexFileSpecification> specs = names.getEmbeddedFiles().getNames();
    if (specs == null) {
      return files;
    }
    for (Map.Entry<String, PDComplexFileSpecification> spec : specs.entrySet()) {
      PDEmbeddedFile file = spec.getValue().getEmbeddedFile();
      if (file != null) {
        files.put(spec.getKey(), new String(file.toByteArray(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  /** Names the first line of text that differs, else says the bytes do. */
  private static String difference(byte[] expected, byte[] file) {
    try (PDDocument want = Loader.loadPDF(expected);
        PDDocument got = Loader.loadPDF(file)) {
      List<String> wanted = new PDFTextStripper().getText(want).lines().toList();
      List<String> shown = new PDFTextStripper().getText(got).lines().toList();
      for (int i = 0; i < Math.max(wanted.size(), shown.size()); i++) {
        String w = i < wanted.size() ? wanted.get(i) : "";
        String g = i < shown.size() ? shown.get(i) : "";
        if (!w.equals(g)) {
          return "the readable part does not show what the signed payload says, at text line "
              + (i + 1)
              + ": it shows \""
              + g.strip()
              + "\" where the payload gives \""
              + w.strip()
              + "\"";
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: the bytes differ in a way that does not read as text
    }
    int at = 0;
    while (at < Math.min(expected.length, file.length) && expected[at] == file[at]) {
      at++;
    }
    return "the PDF differs from the one its signed payload renders to, from byte " + at;
  }

  /**
   * The PDF of a proof with its payload and signature blocks embedded; the same bytes every time.
   */
  static byte[] render(JsonNode proof, String payload, String signature) {
    try (PDDocument document = new PDDocument()) {
      Writer out = new Writer(document);
      write(out, proof);
      out.close();
      embed(document, payload, signature);
      byte[] digest = sha256(payload + signature);
      COSArray id = new COSArray();
      id.add(new COSString(java.util.Arrays.copyOf(digest, 16)));
      id.add(new COSString(java.util.Arrays.copyOf(digest, 16)));
      document.getDocument().getTrailer().setItem(COSName.ID, id);
      document.getDocumentInformation().setTitle("Consent certificate");
      document.getDocumentInformation().setCreator("optin");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      document.save(bytes, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the certificate PDF", e);
    }
  }

  private static void embed(PDDocument document, String payload, String signature)
      throws IOException {
    Map<String, PDComplexFileSpecification> files = new LinkedHashMap<>();
    files.put(PAYLOAD_FILE, file(document, PAYLOAD_FILE, payload));
    files.put(SIGNATURE_FILE, file(document, SIGNATURE_FILE, signature));
    PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
    tree.setNames(files);
    PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
    names.setEmbeddedFiles(tree);
    document.getDocumentCatalog().setNames(names);
  }

  private static PDComplexFileSpecification file(PDDocument document, String name, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(bytes));
    embedded.setSubtype("application/json");
    embedded.setSize(bytes.length);
    PDComplexFileSpecification spec = new PDComplexFileSpecification();
    spec.setFile(name);
    spec.setFileUnicode(name);
    spec.setEmbeddedFile(embedded);
    return spec;
  }

  private static void write(Writer out, JsonNode proof) throws IOException {
    JsonNode subject = proof.path("subject");
    JsonNode consent = proof.path("consent");
    JsonNode ledger = proof.path("ledger");
    out.heading("Consent certificate for " + text(subject.path("phone")), 16);
    out.paragraph(
        "Issued "
            + text(proof.path("issuedAt"))
            + " by optin from its consent ledger (format "
            + text(proof.path("format"))
            + ").",
        8);
    out.y -= 4;
    float boxTop = out.y;
    int boxPage = out.pages;
    out.fact(
        "Subscriber",
        text(subject.path("phone")) + (subject.path("phoneMasked").asBoolean() ? " (masked)" : ""));
    for (JsonNode outcome : proof.path("outcomes")) {
      out.fact(
          "Program",
          text(outcome.path("programId"))
              + (outcome.has("brand") ? " (" + text(outcome.path("brand")) + ")" : ""));
      out.fact(
          "Outcome",
          text(outcome.path("status"))
              + (outcome.has("since") ? " since " + text(outcome.path("since")) : "")
              + (outcome.has("method") ? " by " + text(outcome.path("method")) : ""));
    }
    if (consent.isObject()) {
      out.fact("Consent text shown", "\"" + text(consent.path("text")) + "\"");
      out.fact(
          "Text version, SHA-256",
          or(consent.path("version"), "(no version)") + ", " + text(consent.path("sha256")));
      out.fact("When", text(consent.path("requestedAt")));
      out.fact(
          "Where",
          text(consent.path("channel"))
              + ", locale "
              + text(consent.path("locale"))
              + ", page "
              + or(consent.path("pageUrl"), "(none)"));
      out.fact("From IP", or(consent.path("ip"), "(none)"));
      out.fact("User agent", or(consent.path("userAgent"), "(none)"));
    }
    JsonNode erasure = proof.path("erasure");
    if (erasure.isObject()) {
      out.fact(
          "Erased", "ERASED at " + text(erasure.path("at")) + ": " + text(erasure.path("detail")));
    }
    JsonNode chain = ledger.path("subjectChain");
    boolean verified =
        chain.path("intact").asBoolean(false) && ledger.path("verified").asBoolean(false);
    out.fact(
        "Ledger",
        (verified ? "ledger verified: " : "LEDGER NOT VERIFIED: ")
            + "subject chain of "
            + text(chain.path("records"))
            + " records "
            + (chain.path("intact").asBoolean(false) ? "intact" : "BROKEN")
            + "; "
            + text(ledger.path("verdict"))
            + "; key fingerprint "
            + text(ledger.path("keyId")));
    if (out.pages == boxPage) {
      out.box(boxTop, out.y - 5);
    }
    out.heading("Timeline", 12);
    float[] timelineWidths = {22, 110, 80, 55, 80, 181};
    out.row(
        new String[] {"#", "When (UTC)", "Step", "Channel", "Method, status", "Detail"},
        timelineWidths,
        true);
    List<JsonNode> steps = new ArrayList<>();
    proof.path("steps").forEach(steps::add);
    steps.sort(
        Comparator.comparing((JsonNode step) -> Instant.parse(step.path("occurredAt").asText()))
            .thenComparingLong(step -> step.path("sequence").asLong()));
    for (JsonNode step : steps) {
      out.row(
          new String[] {
            text(step.path("sequence")),
            text(step.path("occurredAt")),
            text(step.path("type")),
            text(step.path("channel")),
            join(step.path("method"), step.path("status")),
            join(
                prefixed("program ", step.path("programId")),
                prefixed("error ", step.path("errorCode")),
                prefixed("", step.path("detail")),
                prefixed("message: ", step.path("message")))
          },
          timelineWidths,
          false);
    }
    out.heading("Evidence", 12);
    JsonNode evidence = proof.path("evidence");
    if (evidence.path("erased").asBoolean(false)) {
      out.paragraph(
          "Erased with the subscriber's personal data: whatever the signup carried can no longer"
              + " be read.",
          9);
    } else if (!evidence.isObject()) {
      out.paragraph("No third-party evidence was given with the signup.", 9);
    } else {
      out.fact("TrustedForm certificate", or(evidence.path("trustedFormCertUrl"), "(none)"));
      out.fact("Jornaya LeadiD", or(evidence.path("jornayaLeadId"), "(none)"));
      out.fact("Form snapshot SHA-256", or(evidence.path("formSnapshotSha256"), "(none)"));
      for (Iterator<Map.Entry<String, JsonNode>> it = evidence.path("extra").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> extra = it.next();
        out.fact(extra.getKey(), text(extra.getValue()));
      }
    }
    out.heading("Ledger hashes", 12);
    Map<String, String> types = new HashMap<>();
    proof
        .path("steps")
        .forEach(step -> types.put(step.path("sequence").asText(), step.path("type").asText()));
    float[] hashWidths = {22, 80, 213, 213};
    out.row(new String[] {"#", "Step", "Record hash", "Previous hash"}, hashWidths, true);
    for (JsonNode link : ledger.path("chain")) {
      String sequence = link.path("sequence").asText();
      out.row(
          new String[] {
            sequence,
            types.getOrDefault(sequence, "(other program)")
                + (link.has("partitionSequence")
                    ? " p"
                        + text(link.path("partition"))
                        + " #"
                        + text(link.path("partitionSequence"))
                    : ""),
            text(link.path("hash")),
            or(link.path("previousHash"), "(first)")
          },
          hashWidths,
          false);
    }
    JsonNode checkpoint = ledger.path("checkpoint");
    if (checkpoint.isObject()) {
      out.heading("Latest signed checkpoint", 12);
      out.fact(
          "Partition, sequence",
          "p"
              + text(checkpoint.path("partition"))
              + " #"
              + text(checkpoint.path("partitionSequence")));
      out.fact("Head hash", text(checkpoint.path("headHash")));
      out.fact(
          "Subject heads digest",
          text(checkpoint.path("subjectHeadsDigest"))
              + " ("
              + text(checkpoint.path("subjects"))
              + " subjects)");
      out.fact("Checkpointed at", text(checkpoint.path("checkpointedAt")));
      out.fact("Signed by key", text(checkpoint.path("signingKeyId")));
      out.fact("Signature", text(checkpoint.path("signature")));
    }
    out.heading("Signature", 12);
    out.paragraph(
        "The machine-readable payload of this certificate (embedded file "
            + PAYLOAD_FILE
            + ") is signed with Ed25519 by the ledger's checkpoint key "
            + text(ledger.path("keyId"))
            + " (embedded file "
            + SIGNATURE_FILE
            + "). Check it offline: optin audit verify-certificate FILE --public-key <base64>.",
        9);
  }

  private static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? "" : visible(node.asText());
  }

  private static String or(JsonNode node, String absent) {
    return node == null || node.isMissingNode() || node.isNull() ? absent : text(node);
  }

  private static String prefixed(String label, JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? "" : label + text(node);
  }

  private static String join(Object... parts) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      String value = part instanceof JsonNode node ? text(node) : (String) part;
      if (!value.isEmpty()) {
        out.append(out.length() == 0 ? "" : "; ").append(value);
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lays text out top to bottom, page after page, wrapping within column widths. */
  private static final class Writer {
    private final PDDocument document;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final Map<Character, Boolean> encodable = new HashMap<>();
    private PDPageContentStream content;
    private float y;
    private int pages;

    Writer(PDDocument document) throws IOException {
      this.document = document;
      newPage();
    }

    private void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      content = new PDPageContentStream(document, page);
      y = TOP;
      pages++;
    }

    private void room(float height) throws IOException {
      if (y - height < BOTTOM) {
        newPage();
      }
    }

    void heading(String text, float size) throws IOException {
      room(size * 2.4f + 8);
      y -= size * 1.2f + (y < TOP ? 8 : 0);
      show(bold, size, LEFT, y, shown(text));
      y -= size * 0.6f;
    }

    void paragraph(String text, float size) throws IOException {
      for (String line : wrap(regular, size, text, WIDTH)) {
        room(size * 1.3f);
        y -= size * 1.3f;
        show(regular, size, LEFT, y, line);
      }
      y -= size * 0.4f;
    }

    void fact(String label, String value) throws IOException {
      float size = 9;
      float labelWidth = 130;
      List<String> lines = wrap(regular, size, value, WIDTH - labelWidth - 8);
      for (int i = 0; i < lines.size(); i++) {
        room(size * 1.3f);
        y -= size * 1.3f;
        if (i == 0) {
          show(bold, size, LEFT + 4, y, shown(label));
        }
        show(regular, size, LEFT + 4 + labelWidth, y, lines.get(i));
      }
      y -= 2;
    }

    void row(String[] cells, float[] widths, boolean header) throws IOException {
      float size = 7.5f;
      PDType1Font font = header ? bold : regular;
      List<List<String>> wrapped = new ArrayList<>();
      int height = 1;
      for (int i = 0; i < cells.length; i++) {
        List<String> lines = wrap(font, size, cells[i], widths[i] - 4);
        wrapped.add(lines);
        height = Math.max(height, lines.size());
      }
      float rowHeight = height * size * 1.25f + 4;
      room(rowHeight);
      float x = LEFT;
      for (int i = 0; i < cells.length; i++) {
        content.addRect(x, y - rowHeight, widths[i], rowHeight);
        for (int line = 0; line < wrapped.get(i).size(); line++) {
          show(font, size, x + 2, y - 2 - (line + 1) * size * 1.25f + 2, wrapped.get(i).get(line));
        }
        x += widths[i];
      }
      content.setLineWidth(0.4f);
      content.stroke();
      y -= rowHeight;
    }

    void box(float top, float bottom) throws IOException {
      content.setLineWidth(1.2f);
      content.addRect(LEFT, bottom, WIDTH, top - bottom);
      content.stroke();
      y = bottom - 4;
    }

    private void show(PDType1Font font, float size, float x, float at, String text)
        throws IOException {
      if (text.isEmpty()) {
        return;
      }
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(x, at);
      content.showText(text);
      content.endText();
    }

    /** The text with every character the standard fonts cannot show as {@code ?}. */
    private String shown(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (char c : text.toCharArray()) {
        out.append(encodable.computeIfAbsent(c, this::canShow) ? c : '?');
      }
      return out.toString();
    }

    private boolean canShow(char c) {
      try {
        regular.encode(String.valueOf(c));
        return c >= 0x20;
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
    }

    private List<String> wrap(PDType1Font font, float size, String text, float width)
        throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String word : shown(text).split(" ", -1)) {
        String candidate = line.length() == 0 ? word : line + " " + word;
        if (font.getStringWidth(candidate) / 1000 * size <= width) {
          line.setLength(0);
          line.append(candidate);
          continue;
        }
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        // A word wider than the column (a hash, a URL) is cut where it must be.
        for (char c : word.toCharArray()) {
          if (font.getStringWidth(line.toString() + c) / 1000 * size > width && line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.append(c);
        }
      }
      if (line.length() > 0 || lines.isEmpty()) {
        lines.add(line.toString());
      }
      return lines;
    }

    void close() throws IOException {
      content.close();
    }
  }
}
