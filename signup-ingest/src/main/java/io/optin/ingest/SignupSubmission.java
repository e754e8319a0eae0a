package io.optin.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.optin.avro.FormEvidence;
import io.optin.avro.SourceChannel;
import io.optin.domain.screening.ControlCharacters;
import io.optin.domain.screening.FormEvidenceRules;
import io.optin.kit.http.JsonFaults;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON body of {@code POST /v1/signups} (docs/signups.md), read field by field so that every
 * refusal names the exact request field. Unknown fields are tolerated; a field given twice, content
 * after the object and control characters other than tab, CR and LF in a field are refused.
 *
 * @param phone E.164, or national digits with {@code country}
 * @param country ISO 3166 alpha-2 region of a national number, or null
 * @param programId the program signed up to
 * @param consentText the consent language exactly as shown (verbatim)
 * @param consentTextVersion the platform's label of that text, or null
 * @param channel {@code source.channel} mapped to the Avro enum
 * @param url {@code source.url}, or null
 * @param ip {@code source.ip}, or null
 * @param userAgent {@code source.userAgent}, or null
 * @param locale BCP 47 tag
 * @param idempotencyKey the platform's key, or null
 * @param evidence the optional {@code evidence} object, checked and normalised by {@link
 *     FormEvidenceRules}, or null
 */
public record SignupSubmission(
    String phone,
    String country,
    String programId,
    String consentText,
    String consentTextVersion,
    SourceChannel channel,
    String url,
    String ip,
    String userAgent,
    String locale,
    String idempotencyKey,
    FormEvidence evidence) {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final String CHANNELS =
      Arrays.stream(SourceChannel.values())
          .filter(c -> c != SourceChannel.UNKNOWN)
          .map(c -> c.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));

  /** Reads a body, or throws {@link InvalidSignup} naming the field at fault. */
  public static SignupSubmission parse(byte[] body) throws InvalidSignup {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidSignup(null, "body is not valid JSON: " + JsonFaults.describe(body, e));
    } catch (IOException e) {
      throw new InvalidSignup(null, "body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSignup(null, "body must be a JSON object");
    }
    JsonNode source = root.get("source");
    if (source == null || source.isNull()) {
      throw new InvalidSignup("source", "source is required");
    }
    if (!source.isObject()) {
      throw new InvalidSignup("source", "source must be an object");
    }
    return new SignupSubmission(
        required(root, "phone", "phone"),
        optional(root, "country", "country"),
        required(root, "programId", "programId"),
        required(root, "consentText", "consentText"),
        optional(root, "consentTextVersion", "consentTextVersion"),
        channel(required(source, "channel", "source.channel")),
        optional(source, "url", "source.url"),
        optional(source, "ip", "source.ip"),
        optional(source, "userAgent", "source.userAgent"),
        required(root, "locale", "locale"),
        optional(root, "idempotencyKey", "idempotencyKey"),
        evidence(root.get("evidence")));
  }

  /** The {@code evidence} object: strings only, {@code extra} an object of strings. */
  private static FormEvidence evidence(JsonNode node) throws InvalidSignup {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidSignup("evidence", "evidence must be an object");
    }
    Map<String, String> extra = null;
    JsonNode extraNode = node.get("extra");
    if (extraNode != null && !extraNode.isNull()) {
      if (!extraNode.isObject()) {
        throw new InvalidSignup("evidence.extra", "evidence.extra must be an object of strings");
      }
      if (extraNode.size() > FormEvidenceRules.MAX_EXTRA_ENTRIES) {
        throw new InvalidSignup(
            "evidence.extra",
            "evidence.extra has more than " + FormEvidenceRules.MAX_EXTRA_ENTRIES + " entries");
      }
      extra = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = extraNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        extra.put(
            entry.getKey(),
            optional(extraNode, entry.getKey(), "evidence.extra." + entry.getKey()));
      }
    }
    FormEvidence raw =
        FormEvidence.newBuilder()
            .setTrustedFormCertUrl(
                optional(node, "trustedFormCertUrl", "evidence.trustedFormCertUrl"))
            .setJornayaLeadId(optional(node, "jornayaLeadId", "evidence.jornayaLeadId"))
            .setFormSnapshotSha256(
                optional(node, "formSnapshotSha256", "evidence.formSnapshotSha256"))
            .setExtra(extra)
            .build();
    try {
      return FormEvidenceRules.normalise(raw, "evidence");
    } catch (FormEvidenceRules.Refused refused) {
      throw new InvalidSignup(refused.field(), refused.getMessage());
    }
  }

  private static SourceChannel channel(String text) throws InvalidSignup {
    String symbol = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SourceChannel channel : SourceChannel.values()) {
      if (channel != SourceChannel.UNKNOWN && channel.name().equals(symbol)) {
        return channel;
      }
    }
    throw new InvalidSignup("source.channel", "source.channel must be one of " + CHANNELS);
  }

  private static String required(JsonNode parent, String name, String field) throws InvalidSignup {
    String value = optional(parent, name, field);
    if (value == null) {
      throw new InvalidSignup(field, field + " is required");
    }
    return value;
  }

  /**
   * The text of a string field; null when absent, null or blank; refused when of another JSON type.
   */
  private static String optional(JsonNode parent, String name, String field) throws InvalidSignup {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidSignup(field, field + " must be a string");
    }
    if (!ControlCharacters.isClean(node.textValue())) {
      throw new InvalidSignup(
          field, field + " contains control characters (only tab, CR and LF are allowed)");
    }
    return node.textValue().isBlank() ? null : node.textValue();
  }

  /**
   * A body refused before it became a signup; {@code field} is the request field, or null for the
   * body.
   */
  public static final class InvalidSignup extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidSignup(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
