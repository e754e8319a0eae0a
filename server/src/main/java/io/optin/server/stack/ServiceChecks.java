package io.optin.server.stack;

import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.archive.ArchiveSettings;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.webhook.StatusWebhookConfig;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.replies.RepliesConfig;
import io.optin.webhooks.WebhookConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every settings problem that stops a start of {@link OptinServices}, found by building the configs
 * each selected service is built from, and nothing else: no broker, registry or HTTP port is
 * reached. {@link OptinServices} runs the same checks before it starts anything, so {@code optin
 * run --check} and {@code optin run} cannot disagree on the settings.
 */
public final class ServiceChecks {

  /** One problem and the services it stops, in start order. */
  public record Problem(String message, List<ServiceName> services) {
    @Override
    public String toString() {
      return message
          + " ("
          + String.join(", ", services.stream().map(ServiceName::word).toList())
          + ")";
    }
  }

  private ServiceChecks() {}

  /**
   * Each problem of the settings of the {@code selected} services, once, naming the services it
   * stops; empty when every one of them would start.
   */
  public static List<Problem> problems(Settings settings, Set<ServiceName> selected) {
    Map<String, Set<ServiceName>> found = new LinkedHashMap<>();
    for (ServiceName name : selected) {
      for (Consumer<Settings> check : checks(name)) {
        for (String problem : problemsOf(check, settings)) {
          found.computeIfAbsent(problem, key -> new LinkedHashSet<>()).add(name);
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    found.forEach((message, names) -> problems.add(new Problem(message, List.copyOf(names))));
    return problems;
  }

  /**
   * @throws SettingsException naming every problem of {@link #problems}, when there is one
   */
  public static void require(Settings settings, Set<ServiceName> selected) {
    List<Problem> problems = problems(settings, selected);
    if (!problems.isEmpty()) {
      throw new SettingsException(problems.stream().map(Problem::toString).toList());
    }
  }

  /** What a service is built from, in the order {@link OptinServices} builds it. */
  private static List<Consumer<Settings>> checks(ServiceName name) {
    List<Consumer<Settings>> checks = new ArrayList<>();
    // Every service writes or reads Avro through the registry client.
    checks.add(SharedParts::registry);
    switch (name) {
      case INGEST -> checks.add(IngestSettings::from);
      case DISPATCHER -> {
        checks.add(ChallengeTopologyConfig::from);
        checks.add(ProcessSettings::streamsClients);
      }
      case SENDER -> {
        checks.add(TwilioClientSettings::from);
        checks.add(StatusWebhookConfig::from);
        checks.add(SenderConfig::from);
        checks.add(MessageTemplates::from);
        checks.add(SharedParts::codes);
      }
      case REPLIES -> {
        checks.add(RepliesConfig::from);
        checks.add(SharedParts::codes);
      }
      case AUDIT -> {
        checks.add(ConsentAuditTopologyConfig::from);
        checks.add(ProcessSettings::streamsClients);
        checks.add(ArchiveSettings::from);
      }
      case WEBHOOKS -> checks.add(WebhookConfig::from);
      default -> throw new IllegalStateException("unknown service " + name);
    }
    return checks;
  }

  /**
   * A config refuses settings with a {@link SettingsException} or, for a value it parses itself, an
   * {@link IllegalArgumentException} naming the setting; anything else is a bug and propagates.
   */
  private static List<String> problemsOf(Consumer<Settings> check, Settings settings) {
    try {
      check.accept(settings);
      return List.of();
    } catch (SettingsException e) {
      return e.problems();
    } catch (IllegalArgumentException e) {
      return List.of(String.valueOf(e.getMessage()));
    }
  }
}
