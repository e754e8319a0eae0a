package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowBookTest {

  @Test
  void shouldAttributeALedgerRecordReadBeforeItsSignupIdWasKnown() {
    // Given a ledger record read before the flow's signup was answered
    FlowBook book = new FlowBook();
    Flow flow = book.add(0, "+14155551000", 1);
    book.ledgerConfirmed("signup-0", 50);
    assertThat(book.unmatchedLedgerRecords()).isEqualTo(1);

    // When the answer names its signup id
    book.accepted(flow, 202, "signup-0", 10);

    // Then
    assertThat(flow.snapshot().ledgerRecords()).isEqualTo(1);
    assertThat(flow.snapshot().ledgerNanos()).isEqualTo(50);
    assertThat(book.unmatchedLedgerRecords()).isZero();
  }

  @Test
  void shouldLearnTheSignupIdFromTheConfirmationToo() {
    // Given a flow sent through Kafka's door whose confirmation names its signup
    FlowBook book = new FlowBook();
    Flow flow = book.add(0, "+14155551000", 1);

    // When
    book.confirmed("+14155551000", "signup-0", 40);
    book.ledgerConfirmed("signup-0", 50);

    // Then
    assertThat(flow.snapshot().confirmations()).isEqualTo(1);
    assertThat(flow.complete()).isTrue();
    assertThat(book.complete()).isEqualTo(1);
  }

  @Test
  void shouldAnswerOnlyTheFirstCodeSmsAndCountTheRest() {
    // Given
    FlowBook book = new FlowBook();
    Flow flow = book.add(0, "+14155551000", 1);

    // When
    Flow first = book.smsAtProvider("+14155551000", true, 10);
    Flow again = book.smsAtProvider("+14155551000", true, 20);
    Flow welcome = book.smsAtProvider("+14155551000", false, 30);
    Flow stranger = book.smsAtProvider("+14155559999", true, 40);

    // Then
    assertThat(first).isSameAs(flow);
    assertThat(again).isNull();
    assertThat(welcome).isNull();
    assertThat(stranger).isNull();
    assertThat(flow.snapshot().codeSms()).isEqualTo(2);
    assertThat(flow.snapshot().smsNanos()).isEqualTo(10);
    assertThat(book.otherSms()).isEqualTo(1);
    assertThat(book.foreignSms()).isEqualTo(1);
  }

  @Test
  void shouldRefuseTwoFlowsOnOnePhone() {
    FlowBook book = new FlowBook();
    book.add(0, "+14155551000", 1);

    assertThatThrownBy(() -> book.add(1, "+14155551000", 2))
        .hasMessage("two flows on one phone: +14155551000");
  }
}
