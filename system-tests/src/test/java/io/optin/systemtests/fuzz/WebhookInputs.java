package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.pick;

import io.optin.kit.testing.TwilioSigner;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Twilio's webhooks, inbound replies, status callbacks and voice key presses: forged ones (no, a
 * wrong or a misplaced signature; bodies with bad %-escapes, binary or oversized) that must get
 * 403; signed ones whose content is hostile (10,000-digit replies, control characters, empty or
 * missing parameters) that must be answered, never dropped; paths that are not exactly a webhook's,
 * and other methods.
 */
final class WebhookInputs implements InputFamily {

  static final String INBOUND = "/webhooks/twilio/inbound";
  static final String STATUS = "/webhooks/twilio/status";
  static final String VOICE = "/webhooks/twilio/voice";
  private static final List<String> PATHS = List.of(INBOUND, STATUS, VOICE);
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final List<String> BAD_ENCODINGS =
      List.of("Body=%zz", "Body=%", "Body=%E0%A4%A", "From=%2", "%=x", "Body=100%", "To=%%41");
  private static final List<String> STATUSES =
      List.of("queued", "sent", "delivered", "undelivered", "failed", "read");

  private final FuzzTargets targets;

  WebhookInputs(FuzzTargets targets) {
    this.targets = targets;
  }

  @Override
  public FuzzInput one(Random random) {
    String path = pick(random, PATHS);
    int kind = random.nextInt(10);
    if (kind < 4) {
      return forged(random, path);
    }
    if (kind < 8) {
      return signed(random, path);
    }
    if (kind < 9) {
      return inexactPath(random, path);
    }
    String method = pick(random, List.of("GET", "PUT", "DELETE"));
    return FuzzInput.hostile(
        endpoint(path, "other method"),
        RawRequest.of(method, path, targets.host()).bytes(),
        false,
        method + " " + path,
        405);
  }

  /** A webhook whose signature cannot be right: 403, whatever its body. */
  private FuzzInput forged(Random random, String path) {
    Map<String, String> form = form(random, path);
    String body;
    String what;
    int shape = random.nextInt(5);
    if (shape == 0) {
      body = pick(random, BAD_ENCODINGS) + "&" + TwilioSigner.encode(form);
      what = "bad %-escape";
    } else if (shape == 1) {
      byte[] bytes = new byte[1 + random.nextInt(2000)];
      random.nextBytes(bytes);
      body = new String(bytes, StandardCharsets.ISO_8859_1);
      what = "binary body";
    } else if (shape == 2) {
      body = TwilioSigner.encode(form) + "&Pad=" + Texts.repeat(random, "a", 70_000, 150_000);
      what = "oversized body";
    } else {
      body = TwilioSigner.encode(form);
      what = "form";
    }
    RawRequest request =
        RawRequest.of("POST", path, targets.host())
            .header("Content-Type", FORM)
            .body(body.getBytes(StandardCharsets.ISO_8859_1));
    String signature;
    switch (random.nextInt(5)) {
      case 0 -> signature = null;
      case 1 -> signature = Base64.getEncoder().encodeToString(Texts.hex(random, 20).getBytes());
      case 2 ->
          signature = new TwilioSigner("not-the-token").sign(targets.publicBaseUrl + path, form);
      case 3 -> signature = new TwilioSigner("x").sign("https://evil.example" + path, form);
      default -> {
        // signed, then tampered with
        signature = targets.sign(path, form);
        form.put("Body", "tampered");
        request.body(TwilioSigner.encode(form));
      }
    }
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    String label = "forged (" + (signature == null ? "unsigned" : "bad signature") + ") " + what;
    return shape == 2
        ? FuzzInput.hostile(endpoint(path, "forged"), request.bytes(), false, label, 403, 413)
        : FuzzInput.hostile(endpoint(path, "forged"), request.bytes(), false, label, 403);
  }

  /** A correctly signed webhook: hostile content, but Twilio's word; answered, never dropped. */
  private FuzzInput signed(Random random, String path) {
    Map<String, String> form = form(random, path);
    String label;
    boolean complete = true;
    boolean controls = false;
    switch (random.nextInt(8)) {
      case 0 -> {
        form.put("Body", Texts.digits(random, 10_000));
        label = "signed, 10,000 digits";
      }
      case 1 -> {
        form.put("Body", "1 2 3 4 5 6 ".repeat(500 + random.nextInt(500)));
        label = "signed, digits and spaces";
      }
      case 2 -> {
        form.put("Body", Texts.withControl(random, "YES please"));
        controls = true;
        label = "signed, control character in Body";
      }
      case 3 -> {
        form.put(
            "Body",
            pick(random, List.of("", " ", "YES", "HELP", "\uD83D\uDCF1", "ñ".repeat(1600))));
        label = "signed, short or odd Body";
      }
      case 4 -> {
        String name = pick(random, List.of("MessageSid", "CallSid", "From", "To", "MessageStatus"));
        form.remove(name);
        complete = isComplete(path, form);
        label = "signed, without " + name;
      }
      case 5 -> {
        form.put(
            "From",
            pick(
                random,
                List.of("not-a-phone", "'; DROP TABLE x;--", "+1" + Texts.digits(random, 30))));
        label = "signed, odd From";
      }
      case 6 -> {
        form.put(
            path.equals(INBOUND) ? "Body" : "ErrorMessage",
            Texts.repeat(random, "<script>", 10, 1000));
        label = "signed, markup";
      }
      default -> {
        // a signed body with an undecodable escape: refused, before or by the signature check
        String body = pick(random, BAD_ENCODINGS) + "&" + TwilioSigner.encode(form);
        byte[] request =
            RawRequest.of("POST", path, targets.host())
                .header("Content-Type", FORM)
                .header("X-Twilio-Signature", targets.sign(path, form))
                .body(body)
                .bytes();
        return FuzzInput.hostile(
            endpoint(path, "signed"), request, false, "signed, bad %-escape", 400, 403);
      }
    }
    byte[] request =
        RawRequest.of("POST", path, targets.host())
            .header("Content-Type", FORM)
            .header("X-Twilio-Signature", targets.sign(path, form))
            .body(TwilioSigner.encode(form))
            .bytes();
    String endpoint = endpoint(path, "signed");
    if (!complete) {
      return FuzzInput.hostile(endpoint, request, false, label, 400);
    }
    int answered = path.equals(STATUS) ? 204 : 200;
    return controls
        ? FuzzInput.valid(endpoint, request, label, answered, 400)
        : FuzzInput.valid(endpoint, request, label, answered);
  }

  /** A path under a webhook's that is not it: 404, signed for that URL or not. */
  private FuzzInput inexactPath(Random random, String path) {
    String inexact =
        pick(
            random,
            List.of(
                path + "/" + Texts.repeat(random, "a", 1, 1024),
                path + "x",
                path + "/" + Texts.hex(random, 8),
                path + "%2Fx"));
    Map<String, String> form = form(random, path);
    RawRequest request =
        RawRequest.of("POST", inexact, targets.host())
            .header("Content-Type", FORM)
            .body(TwilioSigner.encode(form));
    if (random.nextBoolean()) {
      request.header("X-Twilio-Signature", targets.sign(inexact, form));
    }
    return FuzzInput.hostile(
        "POST /webhooks/* inexact path",
        request.bytes(),
        false,
        "POST " + FuzzRunner.excerpt(inexact),
        404,
        400);
  }

  private Map<String, String> form(Random random, String path) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + Texts.hex(random, 32));
    form.put("AccountSid", "AC" + Texts.hex(random, 32));
    if (path.equals(VOICE)) {
      form.remove("MessageSid");
      form.put("CallSid", "CA" + Texts.hex(random, 32));
      form.put("Direction", pick(random, List.of("outbound-api", "inbound", "outbound-dial", "")));
      form.put("From", "+15005550006");
      form.put("To", targets.hostilePhones.next());
      form.put("CallStatus", "in-progress");
      form.put(
          "Digits",
          pick(
              random,
              List.of("1", "1", "2", "", "#", "1#", "\u0661", Texts.digits(random, 2000), "<1>")));
    } else if (path.equals(INBOUND)) {
      form.put("From", targets.hostilePhones.next());
      form.put("To", "+15005550006");
      form.put(
          "Body",
          pick(random, List.of("YES", "yes", "STOP", "HELP", Texts.digits(random, 6), "hello")));
      form.put("NumMedia", "0");
    } else {
      form.put("To", targets.hostilePhones.next());
      form.put("MessageStatus", pick(random, STATUSES));
    }
    return form;
  }

  private static boolean isComplete(String path, Map<String, String> form) {
    if (path.equals(VOICE)) {
      boolean outbound = form.getOrDefault("Direction", "").startsWith("outbound");
      return form.containsKey("CallSid") && form.containsKey(outbound ? "To" : "From");
    }
    return path.equals(INBOUND)
        ? form.containsKey("MessageSid") && form.containsKey("From")
        : form.containsKey("MessageSid")
            && form.containsKey("To")
            && form.containsKey("MessageStatus");
  }

  private static String endpoint(String path, String kind) {
    return "POST " + path + " " + kind;
  }
}
