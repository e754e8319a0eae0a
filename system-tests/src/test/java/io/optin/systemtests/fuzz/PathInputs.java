package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.pick;

import java.util.List;
import java.util.Random;

/**
 * GET paths: {@code /v1/subscribers/{phone}} and {@code /v1/consent/{phone}} with valid and hostile
 * phones (%-escaped control characters, CR/LF, bad escapes, long), malformed query encodings,
 * without or with a wrong token; odd paths; health and metrics, which must stay open.
 */
final class PathInputs implements InputFamily {

  static final String SUBSCRIBERS = "/v1/subscribers/";
  static final String CONSENT = "/v1/consent/";

  /** Phones that are no E.164 number but clean URI text: the route refuses them, naming phone. */
  private static final List<String> CLEAN_BAD_PHONES =
      List.of("abc", "%2B1", "14155550100", "%2B%2B14155550100", "%2B1415555O100", "%C3%B1", "-1");

  /** Phones whose escapes decode to control characters, or do not decode at all. */
  private static final List<String> ESCAPED_BAD_PHONES =
      List.of(
          "%2B1415555%000100",
          "%2B14155550100%0d%0aX-Injected:%20yes",
          "%2B14155550100%0a",
          "%1b%5b31m",
          "%zz",
          "%",
          "%2B1415%E0%A4%A",
          "%2F..%2F..%2Fetc%2Fpasswd");

  private final FuzzTargets targets;

  PathInputs(FuzzTargets targets) {
    this.targets = targets;
  }

  @Override
  public FuzzInput one(Random random) {
    String route = random.nextInt(4) == 0 ? CONSENT : SUBSCRIBERS;
    String endpoint = "GET " + route + "{phone}";
    switch (random.nextInt(12)) {
      case 0:
        {
          // the consent export reads the ledger: fewer of them
          String phone = targets.hostilePhones.next().replace("+", "%2B");
          String path = (random.nextInt(3) == 0 ? CONSENT : SUBSCRIBERS) + phone;
          return FuzzInput.valid(
              "GET " + path.substring(0, path.lastIndexOf('/') + 1) + "{phone}",
              targets.api("GET", path).bytes(),
              "GET " + path,
              200,
              404);
        }
      case 1, 2:
        {
          String path = route + pick(random, CLEAN_BAD_PHONES);
          return FuzzInput.hostile(
                  endpoint, targets.api("GET", path).bytes(), true, "GET " + path, 400)
              .naming("phone");
        }
      case 3, 4:
        {
          // Refused by the route (naming phone) or by the HTTP layer: a 400 either way
          String path = route + pick(random, ESCAPED_BAD_PHONES);
          return FuzzInput.hostile(
              endpoint, targets.api("GET", path).bytes(), false, "GET " + path, 400);
        }
      case 5:
        {
          String path = route + "%2B1" + Texts.digits(random, 1_000 + random.nextInt(5_000));
          return FuzzInput.hostile(
                  endpoint, targets.api("GET", path).bytes(), true, "GET long phone", 400)
              .naming("phone");
        }
      case 6:
        {
          String phone = targets.hostilePhones.next().replace("+", "%2B");
          String query =
              route.equals(CONSENT)
                  ? pick(random, List.of("format=%zz", "format=%", "format=%E0%A4%A", "format=xml"))
                  : pick(random, List.of("programId=%zz", "programId=%", "programId=%E0%A4%A"));
          String path = route + phone + "?" + query;
          return FuzzInput.hostile(
                  endpoint, targets.api("GET", path).bytes(), true, "GET " + path, 400)
              .naming(FuzzRunner.ANY_FIELD);
        }
      case 7:
        {
          String phone = targets.hostilePhones.next().replace("+", "%2B");
          String path = route + phone + "?programId=acme%00deals%1b%5b2J";
          return FuzzInput.hostile(
              endpoint, targets.api("GET", path).bytes(), true, "GET control in query", 400, 404);
        }
      case 8:
        {
          String path =
              pick(random, List.of(SUBSCRIBERS, CONSENT, "/v1/limits/blocked"))
                  + (random.nextBoolean() ? "%2B14155550100" : "");
          RawRequest request = targets.anonymous("GET", path);
          String what = "no token";
          if (random.nextBoolean()) {
            request.header("Authorization", "Bearer " + targets.token.toUpperCase() + "0");
            what = "wrong token";
          }
          return FuzzInput.hostile(
              "GET /v1/* " + what, request.bytes(), true, "GET " + path + " " + what, 401);
        }
      case 9:
        {
          String path =
              pick(
                  random,
                  List.of(
                      "/v1",
                      "/v1/",
                      "/v1/nothing",
                      "/v1/subscriber",
                      "/v2/signups",
                      "/v1/consent"));
          if (random.nextBoolean()) {
            return FuzzInput.hostile(
                "GET odd /v1 paths",
                targets.anonymous("GET", path).bytes(),
                true,
                "GET " + path + " no token",
                401,
                404);
          }
          return FuzzInput.hostile(
              "GET odd /v1 paths", targets.api("GET", path).bytes(), true, "GET " + path, 404);
        }
      case 10:
        {
          String path =
              pick(
                  random,
                  List.of(
                      "/nothing-here",
                      "/.env",
                      "/admin",
                      "/wp-login.php",
                      "/" + Texts.repeat(random, "a", 100, 4000),
                      "/%zz",
                      "/%00",
                      "/%0d%0aSet-Cookie:%20x=1",
                      "//" + Texts.hex(random, 8)));
          return FuzzInput.hostile(
              "GET odd paths",
              targets.api("GET", path).bytes(),
              false,
              "GET " + FuzzRunner.excerpt(path),
              400,
              404);
        }
      default:
        {
          String path =
              pick(
                  random,
                  List.of(
                      "/health/live",
                      "/health/ready",
                      "/health/ready/ingest",
                      "/metrics",
                      "/v1/limits/blocked"));
          return FuzzInput.valid(
              "GET health, metrics, limits", targets.api("GET", path).bytes(), "GET " + path, 200);
        }
    }
  }
}
