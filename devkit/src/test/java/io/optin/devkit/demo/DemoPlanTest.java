package io.optin.devkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.devkit.sandbox.DeliveryOutcome;
import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.MagicNumbers;
import io.optin.domain.screening.PhoneCheck;
import io.optin.domain.screening.PhoneNormalizer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoPlanTest {

  private final PhoneNormalizer phones = new PhoneNormalizer();

  @Test
  void shouldShareTheSubscribersEquallyAmongThePaths() {
    // When
    DemoPlan plan = DemoPlan.of(300);

    // Then 300 = 10 x 30
    assertThat(plan.size()).isEqualTo(300);
    assertThat(plan.counts().values()).containsOnly(30);
    assertThat(plan.counts()).hasSize(DemoPath.values().length);

    // and 305 = 10 x 30 + 5: the first five paths take one more
    assertThat(DemoPlan.of(305).counts())
        .containsEntry(DemoPath.NO_ANSWER, 31)
        .containsEntry(DemoPath.LATE_ANSWER, 30)
        .containsEntry(DemoPath.WHATSAPP, 30);
  }

  @Test
  void shouldDriveEveryPathWithTheSmallestPlan() {
    DemoPlan plan = DemoPlan.of(DemoPlan.MIN_SUBSCRIBERS);

    assertThat(plan.subscribers())
        .extracting(DemoSubscriber::path)
        .containsExactly(DemoPath.values());
  }

  @Test
  void shouldGiveEverySubscriberItsOwnPhoneOrProgramAndItsOwnIp() {
    // When
    DemoPlan plan = DemoPlan.of(DemoPlan.MAX_SUBSCRIBERS);

    // Then
    List<DemoSubscriber> subscribers = plan.subscribers();
    assertThat(subscribers).extracting(DemoSubscriber::key).doesNotHaveDuplicates();
    assertThat(subscribers).extracting(DemoSubscriber::ip).doesNotHaveDuplicates();
    assertThat(subscribers.stream().filter(s -> s.path().receivesCode()).map(DemoSubscriber::phone))
        .doesNotHaveDuplicates();
    assertThat(subscribers).extracting(DemoSubscriber::number).startsWith(1, 2, 3).endsWith(1000);
  }

  @Test
  void shouldPlanNumbersOptinAcceptsExceptTheOnesMeantToBeRefusedAtSignup() {
    // Given the largest plan
    DemoPlan plan = DemoPlan.of(DemoPlan.MAX_SUBSCRIBERS);

    // Then optin's own normaliser refuses exactly the subscribers of the "invalid number" path
    for (DemoSubscriber subscriber : plan.subscribers()) {
      PhoneCheck check = phones.normalize(subscriber.phone(), null);
      if (subscriber.path() == DemoPath.REFUSED_AT_SIGNUP) {
        assertThat(check).as(subscriber.toString()).isInstanceOf(PhoneCheck.Invalid.class);
      } else {
        assertThat(check)
            .as(subscriber.toString())
            .isEqualTo(validAsSent(check, subscriber.phone()));
      }
    }
  }

  @Test
  void shouldSendTheCarrierRefusedOnesToTwiliosInvalidNumberUnderTheirOwnPrograms() {
    DemoPlan plan = DemoPlan.of(100);

    assertThat(plan.on(DemoPath.REFUSED_BY_CARRIER))
        .hasSize(10)
        .allSatisfy(s -> assertThat(s.phone()).isEqualTo(DemoPlan.CARRIER_REFUSED_PHONE))
        .extracting(DemoSubscriber::programId)
        .doesNotHaveDuplicates()
        .doesNotContain(DemoPlan.PROGRAM);
  }

  @Test
  void shouldPutTheFirstLandlineOnTheSandboxLandlineAndTheOthersOnFictionalOnes() {
    // Given a plan with 30 landline subscribers
    DemoPlan plan = DemoPlan.of(300);

    // Then each has its own phone under the landline program, the first the magic landline
    List<DemoSubscriber> landlines = plan.on(DemoPath.LANDLINE);
    assertThat(landlines).hasSize(30);
    assertThat(landlines).extracting(DemoSubscriber::programId).containsOnly("demo-landline");
    assertThat(landlines)
        .extracting(DemoSubscriber::phone)
        .doesNotHaveDuplicates()
        .startsWith(MagicNumbers.LANDLINE, "+14155550199", "+12125550199")
        .contains("+18085550199", "+14155550198");
    // and the demo's sandbox makes every one of them a landline
    DeliveryScript script = DemoPlan.deliveryScript();
    assertThat(landlines)
        .allSatisfy(
            s ->
                assertThat(
                        s.phone().equals(MagicNumbers.LANDLINE)
                            ? DeliveryOutcome.undelivered(30006)
                            : script.outcomeFor(s.phone()))
                    .isEqualTo(DeliveryOutcome.undelivered(30006)));
  }

  @Test
  void shouldPutTheWhatsAppOnesOnFictionalPhonesWhoseSmsIsFiltered() {
    // Given the largest plan
    DemoPlan plan = DemoPlan.of(DemoPlan.MAX_SUBSCRIBERS);

    // Then each has its own phone under the WhatsApp program, below the landlines
    List<DemoSubscriber> filtered = plan.on(DemoPath.WHATSAPP);
    assertThat(filtered).hasSize(100);
    assertThat(filtered).extracting(DemoSubscriber::programId).containsOnly("demo-whatsapp");
    assertThat(filtered)
        .extracting(DemoSubscriber::phone)
        .doesNotHaveDuplicates()
        .startsWith("+14155550189", "+12125550189")
        .contains("+18085550185")
        .doesNotContainAnyElementsOf(
            plan.on(DemoPath.LANDLINE).stream().map(DemoSubscriber::phone).toList());
    // and the demo's sandbox reports their SMS filtered
    assertThat(filtered)
        .allSatisfy(
            s ->
                assertThat(DemoPlan.deliveryScript().outcomeFor(s.phone()))
                    .isEqualTo(DeliveryOutcome.undelivered(30007)));
  }

  @Test
  void shouldPlanPhonesTheSandboxDelivers() {
    // The standard delivery script fails numbers ending 3003, 3005…: a reachable subscriber must
    // get its SMS
    DeliveryScript script = DemoPlan.deliveryScript();

    DemoPlan.of(DemoPlan.MAX_SUBSCRIBERS).subscribers().stream()
        .filter(s -> s.path().receivesCode())
        .forEach(
            s -> assertThat(script.outcomeFor(s.phone())).isEqualTo(DeliveryOutcome.DELIVERED));
  }

  @Test
  void shouldUseIpLiteralsFromTheDocumentationRanges() throws UnknownHostException {
    for (DemoSubscriber subscriber : DemoPlan.of(DemoPlan.MAX_SUBSCRIBERS).subscribers()) {
      String ip = subscriber.ip();
      assertThat(ip)
          .matches("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.\\d+|2001:db8::[0-9a-f]+");
      // a literal: no lookup happens
      assertThat(InetAddress.getByName(ip).getHostAddress()).isNotBlank();
    }
  }

  @Test
  void shouldFindASubscriberByProgramAndPhone() {
    DemoPlan plan = DemoPlan.of(20);
    DemoSubscriber carrierRefused = plan.on(DemoPath.REFUSED_BY_CARRIER).get(1);

    assertThat(plan.find(carrierRefused.programId(), DemoPlan.CARRIER_REFUSED_PHONE))
        .contains(carrierRefused);
    assertThat(plan.find("another-program", carrierRefused.phone())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 9, 1001})
  void shouldRefuseSizesOutsideOnePerPathToTheSandboxMemory(int size) {
    assertThatThrownBy(() -> DemoPlan.of(size))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 (one per path) to 1000");
  }

  private static PhoneCheck validAsSent(PhoneCheck check, String phone) {
    assertThat(check).isInstanceOf(PhoneCheck.Valid.class);
    assertThat(((PhoneCheck.Valid) check).e164()).isEqualTo(phone);
    return check;
  }
}
