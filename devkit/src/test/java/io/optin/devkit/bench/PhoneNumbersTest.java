package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.domain.screening.PhoneCheck;
import io.optin.domain.screening.PhoneNormalizer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

  @Test
  void shouldGiveEveryFlowItsOwnNumber() {
    PhoneNumbers numbers = new PhoneNumbers(0);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < PhoneNumbers.CAPACITY; i += 7) {
      seen.add(numbers.of(i));
    }
    assertThat(seen).hasSize((PhoneNumbers.CAPACITY + 6) / 7);
    assertThat(numbers.of(0)).isEqualTo("+12015550000");
    assertThat(numbers.of(10_001)).isEqualTo("+12025550001");
    assertThat(new PhoneNumbers(10_000).of(0)).isEqualTo("+12025550000");
  }

  @Test
  void shouldOnlyMakeNumbersOptinAcceptsAsMobile() {
    PhoneNormalizer normalizer = new PhoneNormalizer();
    PhoneNumbers numbers = new PhoneNumbers(0);
    for (int i = 0; i < PhoneNumbers.CAPACITY; i += 997) {
      PhoneCheck check = normalizer.normalize(numbers.of(i), null);
      assertThat(check.isValid()).as(numbers.of(i) + ": " + check).isTrue();
      assertThat(((PhoneCheck.Valid) check).e164()).isEqualTo(numbers.of(i));
    }
  }
}
