package io.optin.domain.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtpCodesTest {

  private static final byte[] SECRET =
      "test-otp-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_SECRET =
      "other-otp-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldDeriveTheSameCodeForTheSameChallengeOnEveryInstance() {
    // Given two instances built independently from the same secret (dispatcher and reply processor)
    OtpCodes dispatcher = new OtpCodes(SECRET.clone(), 6);
    OtpCodes replies = new OtpCodes(SECRET.clone(), 6);

    // When / Then
    assertThat(dispatcher.codeFor("challenge-1")).isEqualTo(replies.codeFor("challenge-1"));
  }

  @Test
  void shouldDeriveDifferentCodesForDifferentSecrets() {
    OtpCodes a = new OtpCodes(SECRET, 6);
    OtpCodes b = new OtpCodes(OTHER_SECRET, 6);

    long same =
        IntStream.range(0, 200)
            .mapToObj(i -> "c-" + i)
            .filter(id -> a.codeFor(id).equals(b.codeFor(id)))
            .count();

    // 200 six-digit codes agreeing by chance has probability ~2e-4 per id; a handful at most.
    assertThat(same).isLessThan(3);
  }

  @Test
  void shouldGiveTheKnownDigitsForAFixedSecretAndId() {
    // Pins the derivation (HMAC-SHA256 over "optin-otp-v1|" + id, mod 10^n): changing it would make
    // codes already sent by an older dispatcher fail at a newer reply processor.
    OtpCodes codes = new OtpCodes(SECRET, 6);
    OtpCodes longCodes = new OtpCodes(SECRET, 10);

    String six = codes.codeFor("00000000-0000-0000-0000-000000000001");
    String ten = longCodes.codeFor("00000000-0000-0000-0000-000000000001");

    assertThat(ten).endsWith(six);
    assertThat(six).isEqualTo(expectedSixDigits());
  }

  private static String expectedSixDigits() {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
      byte[] out =
          mac.doFinal(
              "optin-otp-v1|00000000-0000-0000-0000-000000000001".getBytes(StandardCharsets.UTF_8));
      return String.format(
          "%06d",
          new java.math.BigInteger(1, out).mod(java.math.BigInteger.valueOf(1_000_000)).intValue());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6, 8, 10})
  void shouldGiveCodesOfExactlyTheConfiguredLengthWithEvenlySpreadFirstDigits(int length) {
    // Given
    OtpCodes codes = new OtpCodes(SECRET, length);
    int[] firstDigit = new int[10];
    int samples = 10_000;

    // When
    for (int i = 0; i < samples; i++) {
      String code =
          codes.codeFor(
              UUID.nameUUIDFromBytes(("id-" + i).getBytes(StandardCharsets.UTF_8)).toString());
      assertThat(code).hasSize(length).containsOnlyDigits();
      firstDigit[code.charAt(0) - '0']++;
    }

    // Then each leading digit (0 included: codes are zero-padded) holds 8-12 % of the codes
    for (int digit = 0; digit < 10; digit++) {
      assertThat(firstDigit[digit]).as("codes starting with %d", digit).isBetween(800, 1200);
    }
  }

  @Test
  void shouldRarelyRepeatCodesAcrossChallenges() {
    OtpCodes codes = new OtpCodes(SECRET, 6);
    Set<String> seen = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> seen.add(codes.codeFor("challenge-" + i)));
    // 1000 draws from 10^6: about 0.5 expected collisions.
    assertThat(seen).hasSizeGreaterThan(995);
  }

  @Test
  void shouldMatchTheHashOfTheChallengesOwnCode() {
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String code = codes.codeFor("challenge-7");

    assertThat(codes.matches("challenge-7", codes.codeHash(code))).isTrue();
    assertThat(codes.matches("challenge-7", codes.codeHash(code).toUpperCase())).isTrue();
  }

  @Test
  void shouldHashABodyUnderItsOwnKeyThatNeitherAPlainHashNorAnotherSecretReproduces()
      throws Exception {
    // Given a text carrying a code
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String body = "Acme: your code is " + codes.codeFor("challenge-9") + ". Expires in 10 min.";

    // When it is hashed
    String hash = codes.bodyHash(body);

    // Then the hash is stable, differs per text, per secret, from the code hash and from SHA-256
    String plain =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(hash)
        .hasSize(64)
        .isEqualTo(codes.bodyHash(body))
        .isNotEqualTo(codes.bodyHash(body + " "))
        .isNotEqualTo(new OtpCodes(OTHER_SECRET, 6).bodyHash(body))
        .isNotEqualTo(codes.codeHash(body))
        .isNotEqualTo(plain);
  }

  @Test
  void shouldMatchACodeTypedWithSpacesOrDashes() {
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String code = codes.codeFor("challenge-8");
    String spaced = code.substring(0, 3) + " " + code.substring(3);
    String dashed = code.substring(0, 3) + "-" + code.substring(3);

    assertThat(codes.codeHash(spaced))
        .isEqualTo(codes.codeHash(code))
        .isEqualTo(codes.codeHash(dashed));
  }

  @Test
  void shouldNotMatchAWrongCodeAnotherChallengeOrNothing() {
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String code = codes.codeFor("challenge-9");
    String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);

    assertThat(codes.matches("challenge-9", codes.codeHash(wrong))).isFalse();
    assertThat(codes.matches("challenge-10", codes.codeHash(code)))
        .isEqualTo(codes.codeFor("challenge-10").equals(code));
    assertThat(codes.matches("challenge-9", null)).isFalse();
    assertThat(codes.matches("challenge-9", "")).isFalse();
    assertThat(codes.matches("challenge-9", code)).isFalse();
  }

  @Test
  void shouldNotMatchAHashMadeWithAnotherSecret() {
    OtpCodes ours = new OtpCodes(SECRET, 6);
    OtpCodes theirs = new OtpCodes(OTHER_SECRET, 6);
    String code = ours.codeFor("challenge-11");

    assertThat(ours.matches("challenge-11", theirs.codeHash(code))).isFalse();
  }

  @Test
  void shouldPublishAHashThatIsNeitherTheCodeNorContainsIt() {
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String code = codes.codeFor("challenge-12");
    String hash = codes.codeHash(code);

    assertThat(hash).hasSize(64).matches("[0-9a-f]{64}").doesNotContain(code);
    assertThat(hash).isNotEqualTo(new SubjectKeys(SECRET).keyFor(code));
  }

  @Test
  void shouldHashWithAKeyOtherThanTheCodeKey() {
    // The hash of a string must not be the code derivation MAC of that string.
    OtpCodes codes = new OtpCodes(SECRET, 6);
    String hashOfId = codes.codeHash("optin-otp-v1|challenge-13");
    String codeMacHex =
        java.util.HexFormat.of()
            .formatHex(KeyedHash.ofSecret(SECRET, "t").mac("optin-otp-v1|challenge-13"));

    assertThat(hashOfId).isNotEqualTo(codeMacHex);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void shouldRefuseASecretShorterThan32BytesNamingTheSetting(int size) {
    assertThatThrownBy(() -> new OtpCodes(new byte[size], 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otp.secret")
        .hasMessageContaining("32 bytes");
  }

  @Test
  void shouldRefuseAMissingSecretNamingTheSetting() {
    assertThatThrownBy(() -> OtpCodes.fromSettings(null, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otp.secret is required");
  }

  @Test
  void shouldAcceptASecretOfExactly32Bytes() {
    assertThat(new OtpCodes(new byte[32], 6).codeFor("x")).hasSize(6);
    assertThat(OtpCodes.fromSettings("a".repeat(32), 6).codeFor("x")).hasSize(6);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 3, 11, 20})
  void shouldRefuseACodeLengthOutside4To10NamingTheSetting(int length) {
    assertThatThrownBy(() -> new OtpCodes(SECRET, length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otp.length")
        .hasMessageContaining(String.valueOf(length));
  }

  @Test
  void shouldNotLetTheCallerChangeTheKeyAfterConstruction() {
    byte[] secret = SECRET.clone();
    OtpCodes codes = new OtpCodes(secret, 6);
    String before = codes.codeFor("challenge-14");

    secret[0] ^= 0x7f;

    assertThat(codes.codeFor("challenge-14")).isEqualTo(before);
  }

  @Test
  void shouldNeverShowTheSecretInToString() {
    assertThat(new OtpCodes(SECRET, 6).toString())
        .doesNotContain("test-otp-secret")
        .contains("redacted");
  }
}
