package io.optin.devkit.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A message as Twilio's Messages API represents it (snake_case fields, RFC 2822 dates, counts as
 * strings).
 */
final class MessageJson {

  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private MessageJson() {}

  static Map<String, Object> of(SandboxMessage message) {
    String uri = "/2010-04-01/Accounts/" + message.accountSid() + "/Messages/" + message.sid();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("account_sid", message.accountSid());
    json.put("api_version", "2010-04-01");
    json.put("body", message.body());
    json.put("date_created", rfc2822(message.dateCreated()));
    json.put(
        "date_sent",
        message.status().equals("queued") || message.status().equals("accepted")
            ? null
            : rfc2822(message.dateUpdated()));
    json.put("date_updated", rfc2822(message.dateUpdated()));
    json.put("direction", message.direction());
    json.put("error_code", message.errorCode());
    json.put("error_message", null);
    // Twilio picks a Messaging Service's sender only after accepting the message.
    json.put("from", message.status().equals("accepted") ? null : message.from());
    json.put("messaging_service_sid", message.messagingServiceSid());
    json.put("num_media", "0");
    json.put("num_segments", String.valueOf(message.numSegments()));
    json.put("price", null);
    json.put("price_unit", "USD");
    json.put("sid", message.sid());
    json.put("status", message.status());
    json.put("subresource_uris", Map.of("media", uri + "/Media.json"));
    json.put("to", message.to());
    json.put("uri", uri + ".json");
    return json;
  }

  static String rfc2822(Instant instant) {
    return RFC_2822.format(instant);
  }
}
