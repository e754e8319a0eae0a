package io.optin.audit.tools;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.ledger.LedgerHashing;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.LedgerCheckpoint;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A consent certificate: the {@link ConsentProofPage} of a {@link ConsentProof} with the proof
 * embedded as its payload and an Ed25519 signature of the ledger's checkpoint key over {@value
 * #SIGNED_PREFIX} followed by the payload. Valid only when the signature verifies, the whole file
 * is exactly the page the payload renders to, and every record hashes and chains as the payload
 * says (docs/ledger.md, "Consent certificate").
 */
public final class ConsentCertificate {

  /** Prefixes the signed payload, so that the key's signatures mean one thing each. */
  public static final String SIGNED_PREFIX = "optin-consent-certificate/1\n";

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final Pattern BLOCK =
      Pattern.compile("<script type=\"application/json\" id=\"([a-z-]+)\">([^<]*)</script>");
  private static final Pattern FACT = Pattern.compile("data-fact=\"([a-z0-9-]+)\"");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");

  private ConsentCertificate() {}

  /** The certificate of {@code proof} as PDF, signed with {@code key}. */
  public static byte[] issuePdf(ObjectNode proof, CheckpointSigningKey key) {
    return ConsentCertificatePdf.issue(proof, key);
  }

  /** The certificate page of {@code proof}, signed with {@code key}. */
  public static String issue(ObjectNode proof, CheckpointSigningKey key) {
    String payload = ConsentProof.canonical(proof);
    ObjectNode signature = JSON.createObjectNode();
    signature.put("algorithm", "Ed25519");
    signature.put("keyId", key.publicKey().keyId());
    signature.put("publicKey", key.publicKey().toBase64());
    signature.put(
        "signature", Base64.getEncoder().encodeToString(key.signDocument(signed(payload))));
    return ConsentProofPage.render(proof, payload, ConsentProof.canonical(signature));
  }

  /**
   * What checking a certificate found.
   *
   * @param message "certificate valid: ..." or what does not match
   */
  public record Verdict(boolean valid, String message) {
    static Verdict invalid(String why) {
      return new Verdict(false, why);
    }
  }

  /** Checks a certificate file (HTML or PDF) offline against the checkpoint key. */
  public static Verdict verify(byte[] file, CheckpointPublicKey key) {
    if (ConsentCertificatePdf.isPdf(file)) {
      return ConsentCertificatePdf.verify(file, key);
    }
    String page;
    try {
      page =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(file))
              .toString();
    } catch (CharacterCodingException e) {
      return Verdict.invalid("the file is not UTF-8 text: it was altered or is not a certificate");
    }
    Map<String, String> blocks = new HashMap<>();
    Matcher matcher = BLOCK.matcher(page);
    while (matcher.find()) {
      if (blocks.put(matcher.group(1), matcher.group(2)) != null) {
        return Verdict.invalid("the file holds two " + matcher.group(1) + " blocks");
      }
    }
    String payloadText = blocks.get(ConsentProofPage.PAYLOAD_ID);
    String signatureText = blocks.get(ConsentProofPage.SIGNATURE_ID);
    if (payloadText == null || signatureText == null) {
      return Verdict.invalid(
          "no embedded payload and signature: not an optin consent certificate, or altered");
    }
    Checked checked = checkSigned(payloadText, signatureText, key);
    if (checked.failure() != null) {
      return checked.failure();
    }
    String expected;
    try {
      expected = ConsentProofPage.render(checked.proof(), payloadText, signatureText);
    } catch (RuntimeException e) {
      return Verdict.invalid("the signed payload cannot be rendered: " + e.getMessage());
    }
    if (!expected.equals(page)) {
      return Verdict.invalid(difference(expected, page));
    }
    return checkContent(checked.proof(), key);
  }

  /** A signed payload parsed, or why it is not one. */
  record Checked(JsonNode proof, Verdict failure) {}

  /** The signature block's JSON text for a payload, signed with {@code key}. */
  static String signatureBlock(String payload, CheckpointSigningKey key) {
    ObjectNode signature = JSON.createObjectNode();
    signature.put("algorithm", "Ed25519");
    signature.put("keyId", key.publicKey().keyId());
    signature.put("publicKey", key.publicKey().toBase64());
    signature.put(
        "signature", Base64.getEncoder().encodeToString(key.signDocument(signed(payload))));
    return ConsentProof.canonical(signature);
  }

  /** Checks the signature block and the payload it signs, and parses the payload. */
  static Checked checkSigned(String payloadText, String signatureText, CheckpointPublicKey key) {
    JsonNode signature;
    try {
      signature = JSON.readTree(signatureText);
    } catch (JacksonException e) {
      return failed("the signature block is not valid JSON: it was altered");
    }
    if (!"Ed25519".equals(signature.path("algorithm").asText())) {
      return failed("the signature block names no Ed25519 signature");
    }
    String signedBy = signature.path("keyId").asText();
    if (!key.keyId().equals(signedBy)) {
      return failed("signed by key " + signedBy + ", not by the given public key " + key.keyId());
    }
    if (!ConsentProof.canonical(signature).equals(signatureText)
        || !key.toBase64().equals(signature.path("publicKey").asText())) {
      return failed(
          "the signature block was altered: it does not name the given public key exactly");
    }
    byte[] signatureBytes;
    try {
      signatureBytes = Base64.getDecoder().decode(signature.path("signature").asText());
    } catch (IllegalArgumentException e) {
      return failed("the signature is not base64: it was altered");
    }
    if (!Base64.getEncoder()
        .encodeToString(signatureBytes)
        .equals(signature.path("signature").asText())) {
      return failed("the signature is not in canonical base64: it was altered");
    }
    if (!key.verifiesDocument(signed(payloadText), signatureBytes)) {
      return failed(
          "the signature does not verify with key "
              + key.keyId()
              + ": the payload or the signature was altered");
    }
    JsonNode proof;
    try {
      proof = JSON.readTree(payloadText);
    } catch (JacksonException e) {
      return failed("the signed payload is not valid JSON");
    }
    if (!ConsentProof.canonical(proof).equals(payloadText)) {
      return failed("the signed payload is not in canonical form");
    }
    if (!ConsentProof.FORMAT.equals(proof.path("format").asText())) {
      return failed(
          "the payload's format is " + proof.path("format") + ", not " + ConsentProof.FORMAT);
    }
    return new Checked(proof, null);
  }

  private static Checked failed(String why) {
    return new Checked(null, Verdict.invalid(why));
  }

  /** The records' hashes and chains, and the checkpoint; the verdict of a matching certificate. */
  static Verdict checkContent(JsonNode proof, CheckpointPublicKey key) {
    String records = records(proof, key);
    if (records.startsWith("!")) {
      return Verdict.invalid(records.substring(1));
    }
    return new Verdict(
        true,
        "certificate valid: " + summary(proof) + "; " + records + "; signed by key " + key.keyId());
  }

  private static byte[] signed(String payload) {
    return (SIGNED_PREFIX + payload).getBytes(StandardCharsets.UTF_8);
  }

  /** Names the first line where the file differs from what its payload renders to. */
  private static String difference(String expected, String page) {
    List<String> want = expected.lines().toList();
    List<String> got = page.lines().toList();
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "";
      String g = i < got.size() ? got.get(i) : "";
      if (!w.equals(g)) {
        Matcher fact = FACT.matcher(w);
        String what = fact.find() ? " (" + fact.group(1) + ")" : "";
        return "the readable part does not show what the signed payload says, at line "
            + (i + 1)
            + what
            + ": it shows \""
            + shown(g)
            + "\" where the payload gives \""
            + shown(w)
            + "\"";
      }
    }
    return "the file differs from the page its payload renders to (line endings or trailing bytes)";
  }

  private static String shown(String line) {
    String text = TAG.matcher(line).replaceAll(" ").replaceAll("\\s+", " ").strip();
    return text.length() > 160 ? text.substring(0, 157) + "..." : text;
  }

  /**
   * Recomputes every record's hash from its fields and checks the subject chain and the partition
   * links, and the checkpoint's signature; "!reason" when something does not match.
   */
  private static String records(JsonNode proof, CheckpointPublicKey key) {
    JsonNode ledger = proof.path("ledger");
    if (!ledger.path("verified").asBoolean(false)) {
      return "!the certificate says the ledger did not verify: " + ledger.path("verdict").asText();
    }
    JsonNode chain = ledger.path("chain");
    Map<Long, String> hashes = new HashMap<>();
    Map<Long, Long> partitionSequences = new HashMap<>();
    String previous = null;
    for (int i = 0; i < chain.size(); i++) {
      JsonNode link = chain.get(i);
      if (link.path("sequence").asLong(-1) != i) {
        return "!the subject chain skips a record at sequence " + i;
      }
      if (!Objects.equals(text(link, "previousHash"), previous)) {
        return "!the subject chain does not link at sequence " + i;
      }
      previous = text(link, "hash");
      hashes.put((long) i, previous);
      if (link.has("partitionSequence")) {
        partitionSequences.put(link.path("partitionSequence").asLong(), (long) i);
      }
    }
    if (!Objects.equals(previous, text(ledger.path("subjectChain"), "headHash"))) {
      return "!the subject chain's head is not the last record's hash";
    }
    int recomputed = 0;
    for (JsonNode step : proof.path("steps")) {
      long sequence = step.path("sequence").asLong(-1);
      ConsentAuditRecord record;
      try {
        record =
            RecordFromJson.read(
                step.path("record"), ConsentAuditRecord.class, ConsentAuditRecord.getClassSchema());
      } catch (RuntimeException e) {
        return "!step " + sequence + ": its record cannot be read: " + e.getMessage();
      }
      String hash = LedgerHashing.hash(record);
      if (!hash.equals(record.getHash()) || !hash.equals(text(step, "hash"))) {
        return "!step " + sequence + ": its record does not hash to " + text(step, "hash");
      }
      if (!hash.equals(hashes.get(sequence))
          || record.getSequence() == null
          || record.getSequence() != sequence
          || !record.getEventType().name().equals(text(step, "type"))
          || !record.getOccurredAt().toString().equals(text(step, "occurredAt"))) {
        return "!step " + sequence + ": the timeline does not match its record in the chain";
      }
      Long before =
          record.getPartitionSequence() == null ? null : record.getPartitionSequence() - 1;
      Long prior = before == null ? null : partitionSequences.get(before);
      if (prior != null && !Objects.equals(hashes.get(prior), record.getPreviousPartitionHash())) {
        return "!step " + sequence + ": the partition chain does not link to record " + prior;
      }
      recomputed++;
    }
    String checkpointSays = "no checkpoint yet";
    JsonNode checkpointJson = ledger.path("checkpoint");
    if (checkpointJson.isObject()) {
      LedgerCheckpoint checkpoint;
      try {
        checkpoint =
            RecordFromJson.read(
                checkpointJson, LedgerCheckpoint.class, LedgerCheckpoint.getClassSchema());
      } catch (RuntimeException e) {
        return "!the checkpoint cannot be read: " + e.getMessage();
      }
      if (!key.verifies(checkpoint)) {
        return "!the checkpoint's signature does not verify with key " + key.keyId();
      }
      Long headOf = partitionSequences.get(checkpoint.getPartitionSequence());
      if (headOf != null && !hashes.get(headOf).equals(checkpoint.getHeadHash())) {
        return "!the checkpoint's head hash is not record " + headOf + "'s hash";
      }
      checkpointSays =
          "checkpoint p"
              + checkpoint.getPartition()
              + " #"
              + checkpoint.getPartitionSequence()
              + " signature verified";
    }
    return chain.size()
        + " records chained, "
        + recomputed
        + " hashes recomputed (head "
        + abbreviated(previous)
        + "), "
        + checkpointSays;
  }

  private static String summary(JsonNode proof) {
    StringBuilder out = new StringBuilder(proof.path("subject").path("phone").asText());
    for (JsonNode outcome : proof.path("outcomes")) {
      out.append(", program ").append(outcome.path("programId").asText());
      if (outcome.has("brand")) {
        out.append(" (").append(outcome.path("brand").asText()).append(')');
      }
      out.append(' ').append(outcome.path("status").asText());
      if (outcome.has("since")) {
        out.append(" since ").append(outcome.path("since").asText());
      }
    }
    JsonNode consent = proof.path("consent");
    if (consent.isObject()) {
      out.append(", consent text sha256 ").append(abbreviated(consent.path("sha256").asText()));
    }
    return out.toString();
  }

  private static String abbreviated(String hash) {
    return hash == null || hash.length() <= 16 ? String.valueOf(hash) : hash.substring(0, 16) + "…";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
