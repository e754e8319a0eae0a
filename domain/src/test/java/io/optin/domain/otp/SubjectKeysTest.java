package io.optin.domain.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SubjectKeysTest {

  private static final byte[] SECRET =
      "test-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldGiveAStableHexKeyThatDoesNotShowThePhone() {
    SubjectKeys keys = new SubjectKeys(SECRET);

    String key = keys.keyFor("+14155550100");

    assertThat(key).matches("[0-9a-f]{64}").doesNotContain("4155550100");
    assertThat(new SubjectKeys(SECRET.clone()).keyFor("+14155550100")).isEqualTo(key);
  }

  @Test
  void shouldGiveDifferentKeysForDifferentPhonesAndSecrets() {
    SubjectKeys keys = new SubjectKeys(SECRET);
    SubjectKeys other =
        new SubjectKeys("other-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    assertThat(keys.keyFor("+14155550100")).isNotEqualTo(keys.keyFor("+14155550101"));
    assertThat(keys.keyFor("+14155550100")).isNotEqualTo(other.keyFor("+14155550100"));
  }

  @Test
  void shouldRefuseAShortSecretNamingItsSetting() {
    assertThatThrownBy(() -> new SubjectKeys(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SubjectKeys.SECRET_SETTING)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void shouldDeriveStableKeysFromTheCodeSecretThatDifferFromKeyingWithItDirectly() {
    // When
    SubjectKeys derived = SubjectKeys.derivedFrom(SECRET);

    // Then
    assertThat(derived.keyFor("+14155550100"))
        .matches("[0-9a-f]{64}")
        .isEqualTo(SubjectKeys.derivedFrom(SECRET.clone()).keyFor("+14155550100"))
        .isNotEqualTo(new SubjectKeys(SECRET).keyFor("+14155550100"));
    assertThatThrownBy(() -> SubjectKeys.derivedFrom(new byte[16]))
        .hasMessageContaining(OtpCodes.SECRET_SETTING);
  }
}
