package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.json;
import static io.optin.systemtests.fuzz.Texts.pick;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code POST /v1/signups}: valid signups (each on a number of its own), and hostile ones: control
 * characters in each text field, trailing content after the JSON object, bodies that are no JSON
 * object, wrong types, missing or malformed fields, oversized bodies, bodies that are not {@code
 * application/json}, no or a wrong token, other methods and paths, unknown programs, foreign Host
 * or Origin headers.
 */
final class SignupInputs implements InputFamily {

  static final String ENDPOINT = "POST /v1/signups";
  private static final String PATH = "/v1/signups";

  /** Text fields of a signup, by their name in the API's error {@code field}. */
  private static final List<String> TEXT_FIELDS =
      List.of(
          "phone",
          "programId",
          "consentText",
          "consentTextVersion",
          "locale",
          "idempotencyKey",
          "source.url",
          "source.userAgent",
          "source.ip",
          "source.channel");

  private static final List<String> REQUIRED =
      List.of("phone", "programId", "consentText", "locale", "source", "source.channel");
  private static final List<String> CHANNELS =
      List.of(
          "web_form",
          "mobile_app",
          "keyword",
          "point_of_sale",
          "paper",
          "api",
          "other",
          "WEB-FORM");
  private static final List<String> LOCALES = List.of("en-US", "fr-FR", "es", "de-DE", "pt-BR");
  private static final List<String> TRAILING =
      List.of(" GARBAGE", "}", ",{}", "]", " {}", "\u0000", "x", " null", "\n{\"a\":1}", "}}}");
  private static final List<String> NOT_AN_OBJECT =
      List.of("", "null", "[]", "\"text\"", "123", "{", "{\"phone\":", "true", "{]", "{'a':1}");
  private static final List<Object> WRONG_TYPES =
      List.of(123, true, List.of("a"), Map.of("a", "b"), 1.5e300);

  private final FuzzTargets targets;

  SignupInputs(FuzzTargets targets) {
    this.targets = targets;
  }

  @Override
  public FuzzInput one(Random random) {
    int kind = random.nextInt(17);
    switch (kind) {
      case 0, 1:
        return valid(random);
      case 2, 3:
        {
          String field = pick(random, TEXT_FIELDS);
          Map<String, Object> signup = hostileSignup(random);
          set(signup, field, Texts.withControl(random, text(signup, field)));
          return hostile(json(signup), "control character in " + field, 400).naming(field);
        }
      case 4:
        {
          String suffix = pick(random, TRAILING);
          return hostile(
              json(hostileSignup(random)) + suffix,
              "trailing content " + FuzzRunner.excerpt(suffix),
              400);
        }
      case 5:
        {
          String body =
              random.nextInt(3) == 0
                  ? "[".repeat(2000 + random.nextInt(5000))
                  : random.nextBoolean()
                      ? pick(random, NOT_AN_OBJECT)
                      : json(hostileSignup(random))
                          .substring(0, 1 + random.nextInt(60)); // cut short
          return hostile(body, "not a JSON object: " + FuzzRunner.excerpt(body), 400);
        }
      case 6:
        {
          String field = pick(random, REQUIRED);
          // (an object as source would be one without channel: another refusal)
          Object value =
              pick(random, field.equals("source") ? WRONG_TYPES.subList(0, 3) : WRONG_TYPES);
          Map<String, Object> signup = hostileSignup(random);
          set(signup, field, value);
          return hostile(json(signup), field + " of another type: " + json(value), 400)
              .naming(field);
        }
      case 7:
        {
          String field = pick(random, REQUIRED);
          Map<String, Object> signup = hostileSignup(random);
          remove(signup, field);
          return hostile(json(signup), field + " missing", 400).naming(field);
        }
      case 8:
        return badValue(random);
      case 9:
        {
          // Over 64 KB, in a field or as blank space around the object
          Map<String, Object> signup = hostileSignup(random);
          String body =
              random.nextBoolean()
                  ? json(
                      withField(signup, "consentText", Texts.repeat(random, "x", 70_000, 200_000)))
                  : Texts.repeat(random, " ", 70_000, 150_000) + json(signup);
          return hostile(body, "oversized body of " + body.length() + " bytes", 413);
        }
      case 10:
        return notJson(random);
      case 11:
        return tokens(random);
      case 12:
        {
          String duplicated =
              "{\"phone\":\""
                  + targets.hostilePhones.next()
                  + "\","
                  + json(hostileSignup(random)).substring(1);
          return hostile(duplicated, "phone given twice", 400);
        }
      case 13:
        {
          Map<String, Object> signup = hostileSignup(random);
          String program = "fuzz-" + Texts.hex(random, 8);
          signup.put("programId", program);
          if (!targets.programsDeclared) {
            // No programs.allowed on this stack: any program is valid, and the signup too
            return validSignup(
                random,
                withField(signup, "phone", targets.validPhones.next()),
                "unknown program (not declared)");
          }
          return hostile(json(signup), "unknown programId " + program, 400, 422)
              .naming("programId");
        }
      case 14:
        {
          String method = pick(random, List.of("GET", "PUT", "DELETE", "PATCH"));
          RawRequest request = targets.api(method, PATH);
          if (!method.equals("GET") && !method.equals("DELETE")) {
            request.json(json(hostileSignup(random)));
          }
          return FuzzInput.hostile(ENDPOINT, request.bytes(), true, method + " " + PATH, 405);
        }
      case 15:
        {
          String path =
              pick(random, List.of(PATH + "/" + Texts.hex(random, 6), PATH + "x", PATH + "-v2"));
          return FuzzInput.hostile(
              ENDPOINT,
              targets.api("POST", path).json(json(hostileSignup(random))).bytes(),
              true,
              "POST " + path,
              404);
        }
      default:
        return host(random);
    }
  }

  /** A valid signup, sometimes with a charset, tabs and newlines or letters of other scripts. */
  private FuzzInput valid(Random random) {
    Map<String, Object> signup = baseSignup(random, targets.validPhones.next());
    String label = "valid signup";
    if (random.nextBoolean()) {
      signup.put("consentText", "Yes,\ttext me\nAcme offers. " + Texts.benign(random));
      label = "valid signup with tab, newlines and other scripts";
    }
    return validSignup(random, signup, label);
  }

  private FuzzInput validSignup(Random random, Map<String, Object> signup, String label) {
    targets.sentValid(
        (String) signup.get("phone"),
        (String) signup.get("programId"),
        (String) signup.get("consentText"));
    RawRequest request = targets.api("POST", PATH);
    if (random.nextInt(4) == 0) {
      request.header("Content-Type", "application/json; charset=utf-8").body(json(signup));
      label += ", charset=utf-8";
    } else {
      request.json(json(signup));
    }
    return FuzzInput.valid(ENDPOINT, request.bytes(), label, 202);
  }

  private FuzzInput badValue(Random random) {
    Map<String, Object> signup = hostileSignup(random);
    int which = random.nextInt(9);
    String field;
    Object value;
    switch (which) {
      case 0 -> {
        field = "phone";
        value =
            pick(
                random,
                List.of(
                    "hello",
                    "+1",
                    "+15555550123",
                    "+18005550123",
                    "+1415555012345678901",
                    "++14155550123",
                    "+" + Texts.digits(random, 40),
                    Texts.digits(random, 10_000)));
      }
      case 1 -> {
        field = "source.channel";
        value = pick(random, List.of("carrier-pigeon", "UNKNOWN", "web form"));
      }
      case 2 -> {
        field = "source.ip";
        value = pick(random, List.of("999.1.1.1", "localhost", "1.2.3", "::g", "203.0.113.7/24"));
      }
      case 3 -> {
        field = "source.url";
        value = pick(random, List.of("not a url", "/relative/path", "http://exa mple.com/"));
      }
      case 4 -> {
        field = "locale";
        value = pick(random, List.of("!!", "12345", "en_US_POSIX_x_y", "x".repeat(40)));
      }
      case 5 -> {
        field = "programId";
        value = pick(random, List.of("acme:deals", "a b", "x".repeat(129 + random.nextInt(500))));
      }
      case 6 -> {
        field = "consentText";
        value = Texts.repeat(random, "Consent. ", 230, 3000);
      }
      case 7 -> {
        field = "source.userAgent";
        value = Texts.repeat(random, "Mozilla/5.0 ", 45, 300);
      }
      default -> {
        field = "idempotencyKey";
        value = Texts.repeat(random, "k", 129, 1000);
      }
    }
    set(signup, field, value);
    return hostile(json(signup), field + " malformed: " + FuzzRunner.excerpt(json(value)), 400)
        .naming(field);
  }

  private FuzzInput notJson(Random random) {
    Map<String, Object> signup = hostileSignup(random);
    int which = random.nextInt(6);
    String contentType;
    byte[] body;
    switch (which) {
      case 0 -> {
        contentType = "text/plain";
        body = json(signup).getBytes(StandardCharsets.UTF_8);
      }
      case 1 -> {
        contentType = "text/plain;charset=UTF-8";
        body = json(signup).getBytes(StandardCharsets.UTF_8);
      }
      case 2 -> {
        contentType = "application/x-www-form-urlencoded";
        body =
            ("phone=" + signup.get("phone") + "&programId=acme-deals&consentText=yes&locale=en")
                .replace("+", "%2B")
                .getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        contentType = "multipart/form-data; boundary=fuzzboundary";
        body =
            ("--fuzzboundary\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n"
                    + json(signup)
                    + "\r\n--fuzzboundary--\r\n")
                .getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> {
        contentType = null;
        body = json(signup).getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        contentType = "application/xml";
        body = "<signup><phone>+14155550100</phone></signup>".getBytes(StandardCharsets.UTF_8);
      }
    }
    RawRequest request = targets.api("POST", PATH).body(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return FuzzInput.hostile(
        ENDPOINT,
        request.bytes(),
        true,
        "Content-Type " + (contentType == null ? "absent" : contentType),
        415);
  }

  private FuzzInput tokens(Random random) {
    String body = json(hostileSignup(random));
    String authorization =
        pick(
            random,
            List.of(
                "",
                "Bearer ",
                "Bearer wrong-" + Texts.hex(random, 16),
                "Bearer " + targets.token + "x",
                "Basic " + targets.token,
                targets.token,
                "Bearer " + targets.token.substring(1)));
    RawRequest request = RawRequest.of("POST", PATH, targets.host()).json(body);
    if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    String shown = authorization.replace(targets.token, "<token>");
    return FuzzInput.hostile(
        ENDPOINT,
        request.bytes(),
        true,
        "Authorization " + (authorization.isEmpty() ? "absent" : "'" + shown + "'"),
        401);
  }

  private FuzzInput host(Random random) {
    if (!targets.devHostCheck || random.nextInt(4) == 0) {
      Map<String, Object> signup = baseSignup(random, targets.validPhones.next());
      targets.sentValid(
          (String) signup.get("phone"),
          (String) signup.get("programId"),
          (String) signup.get("consentText"));
      byte[] request =
          RawRequest.of("POST", PATH, "localhost:" + targets.gatewayPort)
              .header("Authorization", "Bearer " + targets.token)
              .json(json(signup))
              .bytes();
      return FuzzInput.valid(ENDPOINT, request, "valid signup, Host localhost", 202);
    }
    if (random.nextBoolean()) {
      // A page elsewhere makes the developer's browser post a signup: its Origin gives it away.
      String origin =
          pick(
              random,
              List.of(
                  "https://evil.example",
                  "http://127.0.0.1.nip.io",
                  "null",
                  "http://attacker.test:8080"));
      byte[] request =
          targets
              .api("POST", PATH)
              .header("Origin", origin)
              .json(json(baseSignup(random, targets.validPhones.next())))
              .bytes();
      return FuzzInput.hostile(ENDPOINT, request, true, "Origin " + origin, 403);
    }
    String host =
        pick(
            random,
            List.of(
                "evil.example",
                "evil.example:" + targets.gatewayPort,
                "127.0.0.1.nip.io:" + targets.gatewayPort,
                "localhost.evil.example",
                "attacker.test:80"));
    byte[] request =
        RawRequest.of("POST", PATH, host)
            .header("Authorization", "Bearer " + targets.token)
            .json(json(hostileSignup(random)))
            .bytes();
    return FuzzInput.hostile(ENDPOINT, request, false, "Host " + host, 400);
  }

  private FuzzInput hostile(String body, String label, Integer... expected) {
    return FuzzInput.hostile(
        ENDPOINT, targets.api("POST", PATH).json(body).bytes(), true, label, expected);
  }

  /** A signup valid in every field, on a number for hostile inputs. */
  private Map<String, Object> hostileSignup(Random random) {
    return baseSignup(random, targets.hostilePhones.next());
  }

  private Map<String, Object> baseSignup(Random random, String phone) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("channel", pick(random, CHANNELS));
    source.put("url", "https://acme.example/join?ref=" + Texts.hex(random, 6));
    source.put("ip", "203.0.113." + random.nextInt(256));
    source.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) fuzz/" + random.nextInt(100));
    Map<String, Object> signup = new LinkedHashMap<>();
    signup.put("phone", phone);
    signup.put("programId", targets.program(random));
    signup.put("consentText", "Yes, text me Acme offers. " + Texts.benign(random));
    signup.put("consentTextVersion", "v" + random.nextInt(10));
    signup.put("source", source);
    signup.put("locale", pick(random, LOCALES));
    signup.put(
        "idempotencyKey", UUID.nameUUIDFromBytes(Texts.hex(random, 16).getBytes()).toString());
    return signup;
  }

  private static Map<String, Object> withField(Map<String, Object> signup, String field, Object v) {
    set(signup, field, v);
    return signup;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Map<String, Object> signup, String field) {
    return field.startsWith("source.") ? (Map<String, Object>) signup.get("source") : signup;
  }

  private static String leaf(String field) {
    return field.startsWith("source.") ? field.substring("source.".length()) : field;
  }

  private static void set(Map<String, Object> signup, String field, Object value) {
    parent(signup, field).put(leaf(field), value);
  }

  private static void remove(Map<String, Object> signup, String field) {
    parent(signup, field).remove(leaf(field));
  }

  private static String text(Map<String, Object> signup, String field) {
    return String.valueOf(parent(signup, field).get(leaf(field)));
  }
}
