package io.optin.domain.screening;

import io.optin.avro.FormEvidence;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules of a signup's third-party evidence ({@code evidence} in the request, {@code
 * formEvidence} on the record): each field optional, bounded and well-formed; an object with
 * nothing in it is no evidence (null). Stateless.
 *
 * <p>A TrustedForm certificate is accepted only as an {@code https} URL on {@value
 * #TRUSTED_FORM_HOST} (where ActiveProspect issues them), so that the proof names a certificate its
 * issuer can be asked about, not any page; a Jornaya LeadiD token is a UUID, kept in upper case as
 * Jornaya writes it.
 */
public final class FormEvidenceRules {

  public static final String TRUSTED_FORM_HOST = "cert.trustedform.com";
  public static final int MAX_CERT_URL = 512;
  public static final int MAX_EXTRA_ENTRIES = 20;
  public static final int MAX_EXTRA_KEY = 64;
  public static final int MAX_EXTRA_VALUE = 512;

  private static final Pattern LEAD_ID =
      Pattern.compile(
          "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
  private static final Pattern SHA256 = Pattern.compile("\\p{XDigit}{64}");
  private static final Pattern EXTRA_KEY =
      Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_EXTRA_KEY + "}");

  private FormEvidenceRules() {}

  /**
   * The normalised evidence (trimmed, token in upper case, hash in lower case, extra sorted by
   * key), null when {@code in} is null or holds nothing.
   *
   * @param prefix the name of the evidence object in the caller's vocabulary, for refusals
   * @throws Refused naming the field ({@code prefix.field}) and why
   */
  public static FormEvidence normalise(FormEvidence in, String prefix) throws Refused {
    if (in == null) {
      return null;
    }
    String url = text(prefix + ".trustedFormCertUrl", in.getTrustedFormCertUrl(), MAX_CERT_URL);
    if (url != null) {
      certificateUrl(prefix + ".trustedFormCertUrl", url);
    }
    String leadId = text(prefix + ".jornayaLeadId", in.getJornayaLeadId(), 36);
    if (leadId != null) {
      if (!LEAD_ID.matcher(leadId).matches()) {
        throw new Refused(
            prefix + ".jornayaLeadId",
            prefix
                + ".jornayaLeadId must be a LeadiD token: a UUID of 36 characters"
                + " (8-4-4-4-12 hex digits)");
      }
      leadId = leadId.toUpperCase(Locale.ROOT);
    }
    String snapshot = text(prefix + ".formSnapshotSha256", in.getFormSnapshotSha256(), 64);
    if (snapshot != null) {
      if (!SHA256.matcher(snapshot).matches()) {
        throw new Refused(
            prefix + ".formSnapshotSha256",
            prefix + ".formSnapshotSha256 must be 64 hex digits (a SHA-256)");
      }
      snapshot = snapshot.toLowerCase(Locale.ROOT);
    }
    Map<String, String> extra = extra(prefix + ".extra", in.getExtra());
    if (url == null && leadId == null && snapshot == null && extra == null) {
      return null;
    }
    return FormEvidence.newBuilder()
        .setTrustedFormCertUrl(url)
        .setJornayaLeadId(leadId)
        .setFormSnapshotSha256(snapshot)
        .setExtra(extra)
        .build();
  }

  private static void certificateUrl(String field, String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused(field, field + " is not a URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || !TRUSTED_FORM_HOST.equalsIgnoreCase(uri.getHost())
        || uri.getRawUserInfo() != null
        || (uri.getPort() != -1 && uri.getPort() != 443)
        || uri.getRawPath() == null
        || uri.getRawPath().length() < 2) {
      throw new Refused(
          field,
          field + " must be a TrustedForm certificate URL: https://" + TRUSTED_FORM_HOST + "/…");
    }
  }

  private static Map<String, String> extra(String field, Map<String, String> raw) throws Refused {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.size() > MAX_EXTRA_ENTRIES) {
      throw new Refused(field, field + " has more than " + MAX_EXTRA_ENTRIES + " entries");
    }
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> entry : raw.entrySet()) {
      String key = entry.getKey();
      if (key == null || !EXTRA_KEY.matcher(key).matches()) {
        throw new Refused(
            field,
            field
                + " keys must be 1 to "
                + MAX_EXTRA_KEY
                + " characters among letters, digits, '_', '.' and '-'");
      }
      String value = text(field + "." + key, entry.getValue(), MAX_EXTRA_VALUE);
      if (value != null) {
        sorted.put(key, value);
      }
    }
    return sorted.isEmpty() ? null : new LinkedHashMap<>(sorted);
  }

  /** Trimmed, null when blank; refused when too long or holding control characters. */
  private static String text(String field, String raw, int maxLength) throws Refused {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String value = raw.strip();
    if (!ControlCharacters.isCleanLine(value)) {
      throw new Refused(field, field + " contains control characters");
    }
    if (value.length() > maxLength) {
      throw new Refused(field, field + " is longer than " + maxLength + " characters");
    }
    return value;
  }

  /** Evidence refused: {@code field} names the offending field. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public Refused(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
