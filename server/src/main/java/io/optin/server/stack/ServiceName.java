package io.optin.server.stack;

import io.optin.kit.config.SettingsException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The services one optin process can run ({@code optin run SERVICE…}); {@code all} names every one.
 */
public enum ServiceName {
  INGEST(true),
  DISPATCHER(false),
  SENDER(false),
  REPLIES(true),
  AUDIT(true),
  WEBHOOKS(false);

  private final boolean servesApi;

  ServiceName(boolean servesApi) {
    this.servesApi = servesApi;
  }

  /**
   * Whether it mounts routes under {@code /v1/}: signups and blocked prefixes (ingest),
   * verifications and subscribers (replies), the consent export (audit), all writes or personal
   * data, so never without {@code api.tokens} outside dev. The dispatcher and the sender serve only
   * signed webhooks; the webhooks service serves nothing (it sends).
   */
  public boolean servesApi() {
    return servesApi;
  }

  /**
   * The word used on the command line and in {@code /health/ready}: {@code ingest}, {@code
   * replies}…
   */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The services named by words such as {@code ingest replies} or {@code all}, in start order.
   *
   * @throws SettingsException naming an unknown word and the known ones
   */
  public static Set<ServiceName> parse(Collection<String> words) {
    EnumSet<ServiceName> names = EnumSet.noneOf(ServiceName.class);
    for (String word : words) {
      String normal = word.strip().toLowerCase(Locale.ROOT);
      if (normal.equals("all")) {
        names.addAll(EnumSet.allOf(ServiceName.class));
        continue;
      }
      try {
        names.add(valueOf(normal.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new SettingsException(
            "unknown service '"
                + word
                + "': expected ingest, dispatcher, sender, replies, audit, webhooks or all");
      }
    }
    if (names.isEmpty()) {
      throw new SettingsException(
          "name at least one service: ingest, dispatcher, sender, "
              + "replies, audit, webhooks or all");
    }
    return names;
  }

  @Override
  public String toString() {
    return word();
  }
}
