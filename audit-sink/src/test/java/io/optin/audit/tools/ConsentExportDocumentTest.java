package io.optin.audit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Stored values shown in an export: the signup screen refuses control characters today, but a
 * ledger keeps what older versions (or another writer of the topic) recorded, forever.
 */
class ConsentExportDocumentTest {

  @Test
  void shouldEscapeEveryControlCharacterButTabAndDoubleBackslashes() {
    // Given terminal escapes, NUL, BEL, DEL, a C1 control, a forged line and a backslash
    String stored =
        "Yes\u0000 \u001b[2J\u001b]0;owned\u0007 \u007f\u0085\u202eevil\r\nIntegrity: fine \\u001b\ttab";

    // When
    String shown = ConsentExportDocument.visible(stored);

    // Then
    assertThat(shown)
        .isEqualTo(
            "Yes\\u0000 \\u001b[2J\\u001b]0;owned\\u0007 \\u007f\\u0085\\u202eevil\\u000d\\u000a"
                + "Integrity: fine \\\\u001b\ttab");
  }

  @Test
  void shouldLeaveOrdinaryTextAsItIs() {
    assertThat(ConsentExportDocument.visible("Oui, envoyez-moi des offres. Répondez STOP."))
        .isEqualTo("Oui, envoyez-moi des offres. Répondez STOP.");
  }
}
