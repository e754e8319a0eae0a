package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ChallengeEventType;
import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

/**
 * Avro may instantiate optin's generated records and enums, and still nothing else it does not
 * trust by default.
 */
class AvroTrustTest {

  @Test
  void shouldTrustGeneratedRecordsAndEnumsOnceInstalled() {
    // Given Avro's own default rules, which refuse our generated classes
    assertThat(ClassSecurityValidator.DEFAULT.isTrusted(ChallengeEventType.class)).isFalse();

    // When optin's trust is installed (twice: it must be idempotent)
    AvroTrust.install();
    AvroTrust.install();

    // Then records and enums of io.optin.avro are trusted
    assertThatCode(() -> ClassSecurityValidator.validate(SignupRequested.class))
        .doesNotThrowAnyException();
    assertThatCode(() -> ClassSecurityValidator.validate(ChallengeEventType.class))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldStillRefuseClassesOutsideTheGeneratedPackage() {
    // Given optin's trust installed
    AvroTrust.install();

    // Then a class of another optin package, or of a package merely starting alike, is still
    // refused
    assertThatThrownBy(() -> ClassSecurityValidator.validate(Topics.class))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> ClassSecurityValidator.validate(java.net.URL.class))
        .isInstanceOf(SecurityException.class);
  }
}
