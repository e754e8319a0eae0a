package io.optin.domain.screening;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ConsentEvidence;
import io.optin.avro.SignupRequested;
import io.optin.avro.SourceChannel;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignupScreenTest {

  private static final String CONSENT =
      "Yes, send me Acme deals by SMS. Msg & data rates may apply. Reply STOP to opt out.";
  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

  private final SignupScreen screen = new SignupScreen();

  private static SignupRequested.Builder signup() {
    return SignupRequested.newBuilder()
        .setSignupId("6F1C2B3A-0D4E-4F5A-8B6C-7D8E9F0A1B2C")
        .setProgramId("acme-deals")
        .setPhone("+14155550100")
        .setOccurredAt(AT)
        .setEvidence(
            ConsentEvidence.newBuilder()
                .setConsentText(CONSENT)
                .setConsentTextVersion("v3")
                .setConsentTextSha256(ConsentTextHash.of(CONSENT))
                .setChannel(SourceChannel.WEB_FORM)
                .setPageUrl("https://acme.example/signup")
                .setIp("203.0.113.7")
                .setUserAgent("Mozilla/5.0")
                .setLocale("en-US")
                .build());
  }

  private static SignupRequested with(Consumer<SignupRequested.Builder> change) {
    SignupRequested.Builder builder = signup();
    change.accept(builder);
    return builder.build();
  }

  /**
   * Changes the evidence in place: Avro 1.12.2 refuses to deep-copy our enum without a trust list.
   */
  private static SignupRequested withEvidence(Consumer<ConsentEvidence> change) {
    SignupRequested signup = signup().build();
    change.accept(signup.getEvidence());
    return signup;
  }

  private static void consent(ConsentEvidence evidence, String text) {
    evidence.setConsentText(text);
    evidence.setConsentTextSha256(ConsentTextHash.of(text));
  }

  private void assertRefused(SignupRequested signup, String field) {
    ScreenResult result = screen.screen(signup);
    assertThat(result).isInstanceOf(ScreenResult.Refused.class);
    assertThat(((ScreenResult.Refused) result).field()).isEqualTo(field);
    assertThat(((ScreenResult.Refused) result).reason()).isNotBlank();
  }

  private SignupRequested accepted(SignupRequested signup) {
    ScreenResult result = screen.screen(signup);
    assertThat(result).isInstanceOf(ScreenResult.Accepted.class);
    return ((ScreenResult.Accepted) result).signup();
  }

  @Test
  void shouldAcceptACompleteSignupAndNormaliseIt() {
    // Given a valid signup with a formatted phone, an upper-case UUID and hash, and a lower-case
    // locale
    SignupRequested input =
        withEvidence(
            e -> {
              e.setConsentTextSha256(ConsentTextHash.of(CONSENT).toUpperCase());
              e.setLocale("en-us");
              e.setUserAgent("  Mozilla/5.0  ");
            });
    input.setPhone(" +1 (415) 555-0100 ");

    // When it is screened
    SignupRequested out = accepted(input);

    // Then it is accepted in canonical form, the consent text untouched
    assertThat(out.getPhone()).isEqualTo("+14155550100");
    assertThat(out.getSignupId()).isEqualTo("6f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c");
    assertThat(out.getEvidence().getConsentTextSha256()).isEqualTo(ConsentTextHash.of(CONSENT));
    assertThat(out.getEvidence().getLocale()).isEqualTo("en-US");
    assertThat(out.getEvidence().getUserAgent()).isEqualTo("Mozilla/5.0");
    assertThat(out.getEvidence().getConsentText()).isEqualTo(CONSENT);
    assertThat(out.getEvidence().getChannel()).isEqualTo(SourceChannel.WEB_FORM);
    assertThat(out.getOccurredAt()).isEqualTo(AT);
  }

  @Test
  void shouldTurnBlankOptionalFieldsIntoNull() {
    SignupRequested out =
        accepted(
            withEvidence(
                e -> {
                  e.setPageUrl(" ");
                  e.setIp("");
                  e.setUserAgent(null);
                  e.setConsentTextVersion("  ");
                }));

    assertThat(out.getEvidence().getPageUrl()).isNull();
    assertThat(out.getEvidence().getIp()).isNull();
    assertThat(out.getEvidence().getUserAgent()).isNull();
    assertThat(out.getEvidence().getConsentTextVersion()).isNull();
  }

  @Test
  void shouldRefuseANullSignup() {
    assertThat(screen.screen(null)).isEqualTo(ScreenResult.refused("signup", "signup is missing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "not-a-uuid", "6f1c2b3a0d4e4f5a8b6c7d8e9f0a1b2c", "1-1-1-1-1"})
  void shouldRefuseASignupIdThatIsNotAUuid(String signupId) {
    assertRefused(with(b -> b.setSignupId(signupId)), "signupId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "acme:deals", "acme deals"})
  void shouldRefuseAMissingOrMalformedProgramId(String programId) {
    assertRefused(with(b -> b.setProgramId(programId)), "programId");
  }

  @Test
  void shouldRefuseAProgramIdLongerThan128Characters() {
    assertRefused(with(b -> b.setProgramId("p".repeat(129))), "programId");
    accepted(with(b -> b.setProgramId("p".repeat(128))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "4155550100",
        "+1555555555",
        "+33123456789",
        "+18005550100",
        "hello",
        "+1415555010012345"
      })
  void shouldRefuseAPhoneThatIsNotAnSmsCapableE164Number(String phone) {
    assertRefused(with(b -> b.setPhone(phone)), "phone");
  }

  @Test
  void shouldRefuseAMissingOccurredAt() {
    SignupRequested signup = signup().build();
    signup.put("occurredAt", null);
    assertRefused(signup, "occurredAt");
  }

  @Test
  void shouldRefuseMissingEvidence() {
    SignupRequested signup = signup().build();
    signup.setEvidence(null);
    assertRefused(signup, "evidence");
  }

  @Test
  void shouldRefuseABlankOrOversizedConsentText() {
    assertRefused(withEvidence(e -> consent(e, "   ")), "evidence.consentText");
    String tooLong = "x".repeat(SignupScreen.MAX_CONSENT_TEXT + 1);
    assertRefused(withEvidence(e -> consent(e, tooLong)), "evidence.consentText");
    String longest = "x".repeat(SignupScreen.MAX_CONSENT_TEXT);
    accepted(withEvidence(e -> consent(e, longest)));
  }

  @Test
  void shouldRefuseAConsentHashThatDoesNotMatchTheText() {
    assertRefused(
        withEvidence(e -> e.setConsentTextSha256(ConsentTextHash.of(CONSENT + " "))),
        "evidence.consentTextSha256");
    assertRefused(withEvidence(e -> e.setConsentTextSha256("")), "evidence.consentTextSha256");
  }

  @Test
  void shouldRefuseAMissingChannel() {
    SignupRequested signup = signup().build();
    signup.getEvidence().setChannel(null);
    assertRefused(signup, "evidence.channel");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/signup", "https://acme.example/a b", "not a url"})
  void shouldRefuseAPageUrlThatIsNotAnAbsoluteUrl(String url) {
    assertRefused(withEvidence(e -> e.setPageUrl(url)), "evidence.pageUrl");
  }

  @Test
  void shouldRefuseAPageUrlLongerThan2048Characters() {
    String base = "https://acme.example/";
    assertRefused(
        withEvidence(
            e -> e.setPageUrl(base + "a".repeat(SignupScreen.MAX_URL - base.length() + 1))),
        "evidence.pageUrl");
    accepted(
        withEvidence(e -> e.setPageUrl(base + "a".repeat(SignupScreen.MAX_URL - base.length()))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.1.1.1",
        "1.2.3",
        "01.2.3.4",
        "localhost",
        "example.com",
        "::g",
        "1:2:3:4:5:6:7:8:9",
        "[::1]"
      })
  void shouldRefuseAnIpThatIsNotAnAddressLiteral(String ip) {
    assertRefused(withEvidence(e -> e.setIp(ip)), "evidence.ip");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "203.0.113.7",
        "0.0.0.0",
        "2001:db8::1",
        "::1",
        "::ffff:192.0.2.1",
        "fe80::1%eth0"
      })
  void shouldAcceptIpv4AndIpv6Literals(String ip) {
    assertThat(accepted(withEvidence(e -> e.setIp(ip))).getEvidence().getIp()).isEqualTo(ip);
  }

  @Test
  void shouldRefuseAUserAgentLongerThan512CharactersOrWithControlCharacters() {
    assertRefused(
        withEvidence(e -> e.setUserAgent("a".repeat(SignupScreen.MAX_USER_AGENT + 1))),
        "evidence.userAgent");
    assertRefused(withEvidence(e -> e.setUserAgent("Mozilla\n5.0")), "evidence.userAgent");
    accepted(withEvidence(e -> e.setUserAgent("a".repeat(SignupScreen.MAX_USER_AGENT))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u001B[2J", "\u007F", "\u0085", "\u009B31m", "\u0008"})
  void shouldRefuseAConsentTextWithAControlCharacter(String control) {
    // Given consent text with a control character (its hash matching)
    SignupRequested signup = withEvidence(e -> consent(e, "Yes, send me deals" + control + "."));

    // Then it is refused, naming the consent text
    assertRefused(signup, "evidence.consentText");
  }

  @Test
  void shouldKeepTabsAndLineBreaksOfAConsentTextVerbatim() {
    String text = "Yes, send me Acme deals by SMS.\r\n\tMsg & data rates may apply.\nReply STOP.";
    assertThat(accepted(withEvidence(e -> consent(e, text))).getEvidence().getConsentText())
        .isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Mozilla\u00855.0", "\u001FMozilla/5.0", "Mozilla/5.0\u007F"})
  void shouldRefuseC1DelAndControlsThatTrimmingWouldHide(String userAgent) {
    assertRefused(withEvidence(e -> e.setUserAgent(userAgent)), "evidence.userAgent");
    assertRefused(with(s -> s.setProgramId("acme" + userAgent)), "programId");
    assertRefused(withEvidence(e -> e.setLocale(userAgent)), "evidence.locale");
  }

  @Test
  void shouldRefuseAPhoneWithAControlCharacter() {
    assertRefused(with(s -> s.setPhone("+1415555\u00000100")), "phone");
  }

  @Test
  void shouldRefuseAConsentTextVersionLongerThan128Characters() {
    assertRefused(
        withEvidence(e -> e.setConsentTextVersion("v".repeat(129))), "evidence.consentTextVersion");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "en_US", "english-language-tag", "und", "x-private", "12"})
  void shouldRefuseALocaleThatIsNotABcp47LanguageTag(String locale) {
    assertRefused(withEvidence(e -> e.setLocale(locale)), "evidence.locale");
  }

  @Test
  void shouldRefuseALocaleLongerThan35Characters() {
    String tag = "en-US-x-" + "abcdefgh-".repeat(4);
    assertThat(tag.length()).isGreaterThan(SignupScreen.MAX_LOCALE);
    assertRefused(withEvidence(e -> e.setLocale(tag)), "evidence.locale");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fr-FR", "fr", "zh-Hant-TW", "es-419"})
  void shouldAcceptValidLanguageTags(String tag) {
    assertThat(accepted(withEvidence(e -> e.setLocale(tag))).getEvidence().getLocale())
        .isEqualTo(tag);
  }

  @Test
  void shouldRefuseAnIdempotencyKeyLongerThan128Characters() {
    assertRefused(with(b -> b.setIdempotencyKey("k".repeat(129))), "idempotencyKey");
    assertThat(accepted(with(b -> b.setIdempotencyKey("order-42"))).getIdempotencyKey())
        .isEqualTo("order-42");
  }
}
