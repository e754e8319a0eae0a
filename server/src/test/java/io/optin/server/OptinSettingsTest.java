package io.optin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.optin.audit.AuditSettings;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.archive.ArchiveSettings;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SharedSettings;
import io.optin.replies.RepliesConfig;
import io.optin.replies.RepliesSettings;
import io.optin.server.topics.TopicProvisioner;
import io.optin.server.topics.TopicSettings;
import io.optin.webhooks.WebhookSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The production command knows every setting its modules declare, each under one key. */
class OptinSettingsTest {

  /** Where the settings of the production command are declared, module by module. */
  private static final List<Class<?>> DECLARING =
      List.of(
          ProcessSettings.class,
          SharedSettings.class,
          IngestSettings.class,
          DispatcherSettings.class,
          RepliesSettings.class,
          AuditSettings.class,
          WebhookSettings.class,
          TopicSettings.class,
          DevAuditSecrets.class);

  @Test
  void shouldKnowEverySettingItsModulesDeclare() {
    // Given every Setting constant of the declaring classes
    List<Setting<?>> declared = new ArrayList<>();
    DECLARING.forEach(type -> declared.addAll(settingsDeclaredIn(type)));

    // Then the product catalogue holds exactly them, and each module catalogue is part of it
    assertThat(OptinSettings.CATALOGUE.all()).containsExactlyInAnyOrderElementsOf(declared);
    for (SettingsCatalogue module :
        List.of(
            IngestSettings.CATALOGUE,
            DispatcherSettings.CATALOGUE,
            RepliesSettings.CATALOGUE,
            AuditSettings.CATALOGUE,
            WebhookSettings.CATALOGUE,
            TopicSettings.CATALOGUE)) {
      assertThat(module.all()).allMatch(OptinSettings.CATALOGUE::contains);
      assertThat(OptinSettings.CATALOGUE.familyPrefixes()).containsAll(module.familyPrefixes());
    }
    assertThat(OptinSettings.CATALOGUE.familyPrefixes())
        .containsExactlyInAnyOrder("templates.", "replies.keywords.", "programs.");
  }

  @Test
  void shouldListEachModuleSettingInTheCatalogueOfItsModule() {
    assertThat(IngestSettings.CATALOGUE.all())
        .containsAll(settingsDeclaredIn(IngestSettings.class));
    assertThat(DispatcherSettings.CATALOGUE.all())
        .containsAll(settingsDeclaredIn(DispatcherSettings.class));
    assertThat(RepliesSettings.CATALOGUE.all())
        .containsAll(settingsDeclaredIn(RepliesSettings.class));
    assertThat(AuditSettings.CATALOGUE.all()).containsAll(settingsDeclaredIn(AuditSettings.class));
    assertThat(TopicSettings.CATALOGUE.all()).containsAll(settingsDeclaredIn(TopicSettings.class));
  }

  @Test
  void shouldBuildEveryServiceConfigFromTheSettingsOfTheProductCommand() {
    // Given what a deployment running all services sets
    Settings settings =
        Settings.load(
            OptinSettings.CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_OTP_SECRET",
                "test-otp-secret-of-at-least-32-bytes!",
                "OPTIN_TWILIO_ACCOUNT_SID",
                "AC" + "0".repeat(32),
                "OPTIN_TWILIO_AUTH_TOKEN",
                "test-auth-token",
                "OPTIN_TWILIO_FROM",
                "+15005550006",
                "OPTIN_AUDIT_MASTER_KEY",
                MasterKey.generate().toBase64(),
                "OPTIN_AUDIT_SIGNING_KEY",
                CheckpointSigningKey.generate().toBase64()));

    // Then every module finds each setting it reads in the product's catalogue
    assertThatCode(
            () -> {
              IngestSettings.from(settings);
              ChallengeTopologyConfig.from(settings);
              SenderConfig.from(settings);
              TwilioClientSettings.from(settings);
              MessageTemplates.from(settings);
              RepliesConfig.from(settings);
              ConsentAuditTopologyConfig.from(settings);
              LedgerKeys.from(settings);
              ArchiveSettings.from(settings);
              TopicProvisioner.catalogue(settings);
              ProcessSettings.streamsClients(settings);
            })
        .doesNotThrowAnyException();
  }

  private static List<Setting<?>> settingsDeclaredIn(Class<?> type) {
    List<Setting<?>> settings = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        try {
          settings.add((Setting<?>) field.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return settings;
  }
}
