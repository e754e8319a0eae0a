package io.optin.devkit.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** A call as Twilio's Calls API represents it (snake_case fields, RFC 2822 dates). */
final class CallJson {

  private CallJson() {}

  static Map<String, Object> of(SandboxCall call) {
    String uri = "/2010-04-01/Accounts/" + call.accountSid() + "/Calls/" + call.sid();
    boolean ended = call.status().equals(SandboxCall.COMPLETED);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("account_sid", call.accountSid());
    json.put("annotation", null);
    json.put("answered_by", null);
    json.put("api_version", "2010-04-01");
    json.put("caller_name", null);
    json.put("date_created", MessageJson.rfc2822(call.dateCreated()));
    json.put("date_updated", MessageJson.rfc2822(call.dateUpdated()));
    json.put("direction", "outbound-api");
    json.put("duration", ended ? String.valueOf(CallProgress.duration(call).toSeconds()) : null);
    json.put("end_time", ended ? MessageJson.rfc2822(call.dateUpdated()) : null);
    json.put("forwarded_from", null);
    json.put("from", call.from());
    json.put("from_formatted", call.from());
    json.put("group_sid", null);
    json.put("parent_call_sid", null);
    json.put("phone_number_sid", null);
    json.put("price", null);
    json.put("price_unit", "USD");
    json.put("queue_time", "0");
    json.put("sid", call.sid());
    json.put(
        "start_time", call.answeredAt() == null ? null : MessageJson.rfc2822(call.answeredAt()));
    json.put("status", call.status());
    json.put(
        "subresource_uris",
        Map.of(
            "notifications", uri + "/Notifications.json",
            "recordings", uri + "/Recordings.json"));
    json.put("to", call.to());
    json.put("to_formatted", call.to());
    json.put("trunk_sid", null);
    json.put("uri", uri + ".json");
    return json;
  }
}
