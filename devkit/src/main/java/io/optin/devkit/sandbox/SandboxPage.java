package io.optin.devkit.sandbox;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's web page: every call, newest first, with what the callee heard and a keypad while a
 * {@code <Gather>} listens; then every phone's conversation (SMS or WhatsApp), newest first, with a
 * form to answer as that phone. Self-contained (no external assets); every value is HTML-escaped.
 */
final class SandboxPage {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /** A note about the last reply sent from the page, shown in that phone's section. */
  record Notice(String phone, String text) {}

  private SandboxPage() {}

  static String render(
      Map<String, List<SandboxMessage>> conversations,
      List<SandboxCall> calls,
      URI apiBaseUrl,
      String accountSid,
      URI inboundWebhookUrl,
      DeliveryScript script,
      Notice notice,
      String scriptNonce) {
    StringBuilder html = new StringBuilder(4096);
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>optin \u00b7 Twilio sandbox</title>")
        .append("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>")
        .append("<style>")
        .append(STYLE)
        .append("</style></head><body>")
        .append("<h1>Twilio sandbox</h1><p class=\"meta\">Messages API at <code>")
        .append(escape(apiBaseUrl))
        .append("</code> \u00b7 account <code>")
        .append(escape(accountSid))
        .append("</code> \u00b7 inbound webhook ")
        .append(
            inboundWebhookUrl == null
                ? "<em>not set: replies are off</em>"
                : "<code>" + escape(inboundWebhookUrl) + "</code>")
        .append("</p>");
    legend(html, script);
    if (!calls.isEmpty()) {
      html.append("<h2>Calls</h2>");
      calls.forEach(call -> call(html, call, notice));
    }
    if (conversations.isEmpty()) {
      html.append("<p>No messages yet.</p>");
    }
    conversations.forEach(
        (phone, messages) ->
            conversation(html, phone, messages, inboundWebhookUrl != null, notice));
    html.append("<script nonce=\"")
        .append(escape(scriptNonce))
        .append("\">")
        .append(REFRESH)
        .append("</script>")
        .append("</body></html>\n");
    return html.toString();
  }

  private static void conversation(
      StringBuilder html,
      String phone,
      List<SandboxMessage> newestFirst,
      boolean canReply,
      Notice notice) {
    html.append("<section id=\"")
        .append(anchor(phone))
        .append("\"><h2>")
        .append(escape(phone))
        .append("</h2>");
    if (notice != null && phone.equals(notice.phone())) {
      html.append("<p class=\"notice\">").append(escape(notice.text())).append("</p>");
    }
    if (canReply) {
      html.append("<form method=\"post\" action=\"/sandbox/reply\">")
          .append("<input type=\"hidden\" name=\"phone\" value=\"")
          .append(escape(phone))
          .append("\">")
          .append("<input type=\"hidden\" name=\"to\" value=\"")
          .append(escape(optinNumber(newestFirst)))
          .append("\"><input name=\"body\" maxlength=\"1600\" required autocomplete=\"off\" ")
          .append("placeholder=\"Reply as ")
          .append(escape(phone))
          .append("\">")
          .append("<button>Send</button></form>");
    }
    html.append("<ol>");
    for (SandboxMessage message : newestFirst) {
      html.append("<li class=\"")
          .append(message.inbound() ? "in" : "out")
          .append("\"><span class=\"meta\">")
          .append(TIME.format(message.dateCreated()))
          .append(" UTC \u00b7 ")
          .append(message.inbound() ? "from phone" : "to phone, from " + escape(message.from()))
          .append(" \u00b7 <b>")
          .append(escape(message.status()))
          .append("</b>");
      if (message.errorCode() != null) {
        html.append(" (error ").append(message.errorCode()).append(")");
      }
      html.append(" \u00b7 <code>")
          .append(escape(message.sid()))
          .append("</code></span><p>")
          .append(escape(message.body()))
          .append("</p></li>");
    }
    html.append("</ol></section>");
  }

  private static void call(StringBuilder html, SandboxCall call, Notice notice) {
    html.append("<section class=\"call\" id=\"")
        .append(callAnchor(call.sid()))
        .append("\"><h3>Call to ")
        .append(escape(call.to()))
        .append("</h3><p class=\"meta\">")
        .append(TIME.format(call.dateCreated()))
        .append(" UTC \u00b7 from ")
        .append(escape(call.from()))
        .append(" \u00b7 <b>")
        .append(escape(call.status()))
        .append("</b>");
    if (!call.keys().isEmpty()) {
      html.append(" \u00b7 keys pressed: <code>").append(escape(call.keys())).append("</code>");
    }
    html.append(" \u00b7 <code>").append(escape(call.sid())).append("</code></p>");
    if (notice != null && call.to().equals(notice.phone())) {
      html.append("<p class=\"notice\">").append(escape(notice.text())).append("</p>");
    }
    html.append("<ol>");
    for (VoiceTwiml.Said said : call.spoken()) {
      html.append("<li class=\"out\"><span class=\"meta\">says")
          .append(said.language() == null ? "" : " (" + escape(said.language()) + ")")
          .append("</span><p>")
          .append(escape(said.text()))
          .append("</p></li>");
    }
    html.append("</ol>");
    if (call.awaitingKeys()) {
      html.append("<form method=\"post\" action=\"/sandbox/call\" class=\"keypad\">")
          .append("<input type=\"hidden\" name=\"sid\" value=\"")
          .append(escape(call.sid()))
          .append("\">");
      for (String key : KEYPAD) {
        html.append("<button name=\"keys\" value=\"")
            .append(escape(key))
            .append("\"")
            .append(key.equals("1") ? " class=\"primary\"" : "")
            .append(">")
            .append(key.equals("1") ? "press 1" : escape(key))
            .append("</button>");
      }
      html.append("<button name=\"hangup\" value=\"1\">hang up</button></form>");
    } else if (call.status().equals(SandboxCall.IN_PROGRESS)) {
      html.append("<form method=\"post\" action=\"/sandbox/call\">")
          .append("<input type=\"hidden\" name=\"sid\" value=\"")
          .append(escape(call.sid()))
          .append("\"><button name=\"hangup\" value=\"1\">hang up</button></form>");
    }
    html.append("</section>");
  }

  private static final List<String> KEYPAD =
      List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#");

  static String callAnchor(String callSid) {
    return "c" + callSid.replaceAll("[^0-9A-Za-z]", "");
  }

  private static void legend(StringBuilder html, DeliveryScript script) {
    html.append("<details><summary>Test numbers</summary><ul>")
        .append(
            "<li>To +15005550001: 21211 invalid number; \u2026002: 21612 cannot route; \u2026003: 21408 ")
        .append("no permission; \u2026004: 21610 unsubscribed; \u2026009: 21614 not a mobile</li>")
        .append(
            "<li>From +15005550001: 21212 invalid; \u2026007: 21606 not ours; \u2026008: 21611 queue full</li>")
        .append("<li>To ")
        .append(MagicNumbers.LANDLINE)
        .append(
            ": a landline: SMS undelivered (30006), WhatsApp failed (63003), calls answered</li>")
        .append("<li>Calls to +15005550001: 21217 invalid; \u2026002: 21214 unreachable; ")
        .append("\u2026003: 21215 no permission; \u2026004: 21216 blocked</li>")
        .append(
            "<li>WhatsApp: To and From <code>whatsapp:+\u2026</code>, same rules behind the prefix</li>");
    script
        .rules()
        .forEach(
            (suffix, outcome) ->
                html.append("<li>To ending in ")
                    .append(escape(suffix))
                    .append(": ")
                    .append(escape(String.join(" \u2192 ", outcome.statuses())))
                    .append(outcome.errorCode() == null ? "" : " (" + outcome.errorCode() + ")")
                    .append("</li>"));
    html.append("<li>Any other number: sent \u2192 delivered</li></ul></details>");
  }

  /** optin's number in this conversation: the sender of its latest message to the phone. */
  private static String optinNumber(List<SandboxMessage> newestFirst) {
    return newestFirst.stream().map(m -> m.inbound() ? m.to() : m.from()).findFirst().orElse("");
  }

  static String anchor(String phone) {
    return "p" + phone.replaceAll("[^0-9A-Za-z]", "");
  }

  static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE =
      "body{font:15px/1.4 system-ui,sans-serif;max-width:50rem;margin:1rem auto;"
          + "padding:0 1rem;color:#222}section{border-top:1px solid #ddd;margin-top:1rem}"
          + "ol{list-style:none;padding:0}li{margin:.4rem 0;padding:.4rem .6rem;border-radius:.5rem;max-width:80%}"
          + "li.out{background:#eef3ff}li.in{background:#e9f9ee;margin-left:auto}li p{margin:.2rem 0;"
          + "white-space:pre-wrap;overflow-wrap:anywhere}.meta{color:#666;font-size:12px}"
          + ".notice{background:#fff6d5;padding:.3rem .6rem}form{display:flex;gap:.4rem}"
          + "form input[name=body]{flex:1;padding:.3rem}.keypad{flex-wrap:wrap;max-width:20rem}"
          + ".keypad button{min-width:3rem;padding:.3rem}.keypad .primary{font-weight:bold}"
          + "section.call{background:#fafafa}";

  /** Reload every 2 s, unless someone is typing a reply. */
  private static final String REFRESH =
      "setInterval(function(){var typing=Array.prototype.some.call("
          + "document.querySelectorAll('input[name=body]'),function(i){return i.value||i===document.activeElement;});"
          + "if(!typing){location.reload();}},2000);";
}
