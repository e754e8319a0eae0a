package io.optin.server.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.SettingsException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNameTest {

  @Test
  void shouldNameTheServicesAsTheCommandLineDoes() {
    assertThat(ServiceName.parse(List.of("replies", "INGEST")))
        .containsExactly(ServiceName.INGEST, ServiceName.REPLIES);
    assertThat(ServiceName.parse(List.of("all"))).isEqualTo(EnumSet.allOf(ServiceName.class));
    assertThatThrownBy(() -> ServiceName.parse(List.of("ingest", "mailer")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("unknown service 'mailer'");
  }
}
