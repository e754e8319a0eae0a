package io.optin.server;

import io.optin.audit.AuditSettings;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SharedSettings;
import io.optin.replies.RepliesSettings;
import io.optin.server.topics.TopicSettings;
import io.optin.webhooks.WebhookSettings;

/**
 * Every setting of the production {@code optin} command: the union of the catalogues its modules
 * declare, so a key none of them knows is refused. The devkit's command adds its own {@code dev.*}
 * settings to it.
 */
public final class OptinSettings {

  /** The settings of the process and the shared ones, then each service's, then the tools'. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.union(
          ProcessSettings.CATALOGUE,
          SharedSettings.CATALOGUE,
          IngestSettings.CATALOGUE,
          DispatcherSettings.CATALOGUE,
          RepliesSettings.CATALOGUE,
          AuditSettings.CATALOGUE,
          WebhookSettings.CATALOGUE,
          TopicSettings.CATALOGUE,
          SettingsCatalogue.of(DevAuditSecrets.DEV_DATA_DIR));

  private OptinSettings() {}
}
