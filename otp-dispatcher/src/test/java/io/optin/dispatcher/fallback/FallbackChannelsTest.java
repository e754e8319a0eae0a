package io.optin.dispatcher.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.MessageChannel;
import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The channel lists: read, checked, ordered; and what a channel needs at start. */
class FallbackChannelsTest {

  @Test
  void shouldReadTheDefaultAndEachProgramsOwnOrder() {
    // Given
    var settings =
        TestDispatcherSettings.with(
            Map.of(
                "twilio.from", "+15005550006",
                "fallback.channels", "sms, Voice",
                "fallback.after", "30s",
                "programs.news.fallback.channels", "sms,whatsapp,voice",
                "programs.brands", "news=Daily News",
                "whatsapp.from", "+15005550007",
                "whatsapp.content.sid", "HX" + "a".repeat(32)));

    // When
    FallbackConfig config = FallbackConfig.from(settings);

    // Then
    assertThat(config)
        .isEqualTo(
            new FallbackConfig(
                new FallbackChannels(
                    List.of(MessageChannel.SMS, MessageChannel.VOICE),
                    Map.of(
                        "news",
                        List.of(
                            MessageChannel.SMS, MessageChannel.WHATSAPP, MessageChannel.VOICE))),
                Duration.ofSeconds(30)));
    assertThat(config.channels().after("news", MessageChannel.SMS))
        .contains(MessageChannel.WHATSAPP);
    assertThat(config.channels().after("news", MessageChannel.WHATSAPP))
        .contains(MessageChannel.VOICE);
    assertThat(config.channels().after("news", MessageChannel.VOICE)).isEmpty();
    assertThat(config.channels().after("shop", MessageChannel.SMS)).contains(MessageChannel.VOICE);
    assertThat(config.channels().after("shop", MessageChannel.WHATSAPP))
        .isEqualTo(Optional.empty());
  }

  @Test
  void shouldDefaultToSmsOnly() {
    FallbackConfig config =
        FallbackConfig.from(TestDispatcherSettings.with(Map.of("twilio.from", "+15005550006")));

    assertThat(config).isEqualTo(FallbackConfig.NONE);
    assertThat(config.channels().anyFallback()).isFalse();
  }

  @Test
  void shouldRefuseAListThatDoesNotStartWithSmsSayingWhy() {
    assertThat(FallbackChannels.refusal(List.of("voice", "sms")))
        .isEqualTo(
            "must start with sms, got voice,sms (every challenge is issued by SMS; voice and whatsapp"
                + " are its fallbacks)");
  }

  @Test
  void shouldRefuseUnknownAndRepeatedChannels() {
    assertThat(FallbackChannels.refusal(List.of("sms", "fax")))
        .isEqualTo("unknown channel \"fax\", expected sms, voice or whatsapp");
    assertThat(FallbackChannels.refusal(List.of("sms", "voice", "voice")))
        .isEqualTo("voice is listed twice in sms,voice,voice");
    assertThat(FallbackChannels.refusal(List.of("sms", "whatsapp", "voice"))).isNull();
  }

  @Test
  void shouldNameTheProgramKeyOfABadList() {
    var settings =
        TestDispatcherSettings.with(
            Map.of("twilio.from", "+1500555006", "programs.news.fallback.channels", "whatsapp"));

    assertThatThrownBy(() -> FallbackConfig.from(settings))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("programs.news.fallback.channels: must start with sms");
  }

  @Test
  void shouldRefuseAMistypedProgramFallbackKey() {
    var settings =
        TestDispatcherSettings.with(
            Map.of("twilio.from", "+1500555006", "programs.news.fallback.channel", "sms"));

    assertThatThrownBy(() -> FallbackConfig.from(settings))
        .hasMessageContaining(
            "programs.news.fallback.channel: unknown key, expected programs.<programId>.fallback.channels");
  }

  @Test
  void shouldRequireTheWhatsAppSenderAndTemplateAndANumberToCallFrom() {
    var settings =
        TestDispatcherSettings.with(
            Map.of(
                "twilio.messaging.service.sid",
                "MG" + "1".repeat(32),
                "fallback.channels",
                "sms,voice,whatsapp"));

    assertThatThrownBy(() -> FallbackConfig.from(settings))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("names whatsapp, which needs whatsapp.from")
        .hasMessageContaining("names whatsapp, which needs whatsapp.content.sid")
        .hasMessageContaining("names voice, which needs twilio.from");
  }
}
