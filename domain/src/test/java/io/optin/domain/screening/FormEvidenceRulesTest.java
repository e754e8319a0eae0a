package io.optin.domain.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.FormEvidence;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of a signup's third-party evidence, field by field. */
class FormEvidenceRulesTest {

  @Test
  void shouldNormaliseEveryField() throws Exception {
    // Given evidence as a form sends it: spaces around, a lower-case token, an upper-case hash
    Map<String, String> extra = new HashMap<>();
    extra.put("vendor", " acme-leads ");
    extra.put("campaign", "spring");
    extra.put("empty", " ");
    FormEvidence raw =
        FormEvidence.newBuilder()
            .setTrustedFormCertUrl(" https://cert.trustedform.com/2b5d3f0e9a?shared=1 ")
            .setJornayaLeadId("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
            .setFormSnapshotSha256("AB".repeat(32))
            .setExtra(extra)
            .build();

    // When it is screened
    FormEvidence normalised = FormEvidenceRules.normalise(raw, "evidence");

    // Then it is trimmed, the token upper case, the hash lower case, blank extras dropped, sorted
    assertThat(normalised.getTrustedFormCertUrl())
        .isEqualTo("https://cert.trustedform.com/2b5d3f0e9a?shared=1");
    assertThat(normalised.getJornayaLeadId()).isEqualTo("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
    assertThat(normalised.getFormSnapshotSha256()).isEqualTo("ab".repeat(32));
    assertThat(normalised.getExtra())
        .containsExactly(Map.entry("campaign", "spring"), Map.entry("vendor", "acme-leads"));
  }

  @Test
  void shouldTreatAnEmptyObjectAsNoEvidence() throws Exception {
    assertThat(FormEvidenceRules.normalise(null, "evidence")).isNull();
    assertThat(
            FormEvidenceRules.normalise(
                FormEvidence.newBuilder().setJornayaLeadId(" ").setExtra(Map.of()).build(),
                "evidence"))
        .isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://cert.trustedform.com/abc|must be a TrustedForm certificate URL",
        "https://cert.trustedform.com.evil.example/abc|must be a TrustedForm certificate URL",
        "https://cert.trustedform.com:8443/abc|must be a TrustedForm certificate URL",
        "https://cert.trustedform.com|must be a TrustedForm certificate URL",
        "https://cert.trustedform.com/a b|is not a URL"
      })
  void shouldRefuseAUrlThatIsNoTrustedFormCertificate(String url, String reason) {
    FormEvidence raw = FormEvidence.newBuilder().setTrustedFormCertUrl(url).build();

    assertThatThrownBy(() -> FormEvidenceRules.normalise(raw, "evidence"))
        .isInstanceOf(FormEvidenceRules.Refused.class)
        .hasMessageStartingWith("evidence.trustedFormCertUrl " + reason)
        .extracting(e -> ((FormEvidenceRules.Refused) e).field())
        .isEqualTo("evidence.trustedFormCertUrl");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "3F2504E04F8911D39A0C0305E82C3301",
    "3F2504E0-4F89-11D3-9A0C-0305E82C33",
    "3F2504E0-4F89-11D3-9A0C-0305E82C3301-00",
    "ZZ2504E0-4F89-11D3-9A0C-0305E82C3301"
  })
  void shouldRefuseALeadIdOfAnotherShape(String token) {
    FormEvidence raw = FormEvidence.newBuilder().setJornayaLeadId(token).build();

    assertThatThrownBy(() -> FormEvidenceRules.normalise(raw, "formEvidence"))
        .isInstanceOf(FormEvidenceRules.Refused.class)
        .extracting(e -> ((FormEvidenceRules.Refused) e).field())
        .isEqualTo("formEvidence.jornayaLeadId");
  }

  @Test
  void shouldRefuseControlCharactersAndOversizedExtras() {
    FormEvidence control =
        FormEvidence.newBuilder().setExtra(Map.of("note", "a\u001b[31mb")).build();
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= FormEvidenceRules.MAX_EXTRA_ENTRIES; i++) {
      many.put("k" + i, "v");
    }

    assertThatThrownBy(() -> FormEvidenceRules.normalise(control, "evidence"))
        .hasMessage("evidence.extra.note contains control characters");
    assertThatThrownBy(
            () ->
                FormEvidenceRules.normalise(
                    FormEvidence.newBuilder().setExtra(many).build(), "evidence"))
        .hasMessage("evidence.extra has more than 20 entries");
    assertThatThrownBy(
            () ->
                FormEvidenceRules.normalise(
                    FormEvidence.newBuilder().setFormSnapshotSha256("g".repeat(64)).build(),
                    "evidence"))
        .hasMessage("evidence.formSnapshotSha256 must be 64 hex digits (a SHA-256)");
  }
}
