package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.json;
import static io.optin.systemtests.fuzz.Texts.pick;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code POST /v1/verifications}: well-formed code attempts (valid input, whatever their outcome),
 * and hostile ones: bodies that are no single JSON object, control characters, malformed phones and
 * codes, wrong types, missing fields, oversized bodies, other content types, no token.
 */
final class VerificationInputs implements InputFamily {

  static final String ENDPOINT = "POST /v1/verifications";
  private static final String PATH = "/v1/verifications";
  private static final List<String> FIELDS = List.of("phone", "programId", "code");

  private final FuzzTargets targets;

  VerificationInputs(FuzzTargets targets) {
    this.targets = targets;
  }

  @Override
  public FuzzInput one(Random random) {
    Map<String, Object> attempt = attempt(random);
    switch (random.nextInt(12)) {
      case 0:
        // A well-formed attempt; its answer (pending, wrong code, no challenge...) is its own
        return FuzzInput.valid(
            ENDPOINT, targets.api("POST", PATH).json(json(attempt)).bytes(), "well-formed attempt");
      case 1, 2:
        {
          String field = pick(random, FIELDS);
          attempt.put(field, Texts.withControl(random, (String) attempt.get(field)));
          return hostile(json(attempt), "control character in " + field, 400).naming(field);
        }
      case 3:
        {
          String suffix = pick(random, List.of(" GARBAGE", "}", ",{}", " {}", "]", "\u0000"));
          return hostile(
              json(attempt) + suffix, "trailing content " + FuzzRunner.excerpt(suffix), 400);
        }
      case 4:
        {
          String body = pick(random, List.of("", "null", "[]", "{", "\"x\"", "{\"phone\":}"));
          return hostile(body, "not a JSON object: " + FuzzRunner.excerpt(body), 400);
        }
      case 5:
        {
          String code =
              pick(
                  random,
                  List.of(
                      Texts.digits(random, targets.codeLength - 1),
                      Texts.digits(random, targets.codeLength + 1),
                      "12a4b6".substring(0, Math.min(6, targets.codeLength)) + "x",
                      Texts.digits(random, 10_000),
                      "１２３４５６",
                      "-".repeat(targets.codeLength)));
          attempt.put("code", code);
          return hostile(json(attempt), "code malformed: " + FuzzRunner.excerpt(code), 400)
              .naming("code");
        }
      case 6:
        {
          String phone =
              pick(random, List.of("14155550100", "+0123456789", "+1", "phone", "+1 415 555 0100"));
          attempt.put("phone", phone);
          return hostile(json(attempt), "phone malformed: " + phone, 400).naming("phone");
        }
      case 7:
        {
          String field = pick(random, FIELDS);
          if (random.nextBoolean()) {
            attempt.remove(field);
            return hostile(json(attempt), field + " missing", 400).naming(field);
          }
          attempt.put(field, pick(random, List.of(123456, true, List.of(), Map.of())));
          return hostile(json(attempt), field + " of another type", 400).naming(field);
        }
      case 8:
        {
          attempt.put("programId", Texts.repeat(random, "p", 70_000, 120_000));
          return hostile(json(attempt), "oversized body", 413);
        }
      case 9:
        {
          String type =
              pick(random, List.of("text/plain", "application/x-www-form-urlencoded", "none"));
          RawRequest request = targets.api("POST", PATH).body(json(attempt));
          if (!type.equals("none")) {
            request.header("Content-Type", type);
          }
          return FuzzInput.hostile(ENDPOINT, request.bytes(), true, "Content-Type " + type, 415);
        }
      case 10:
        {
          RawRequest request = RawRequest.of("POST", PATH, targets.host()).json(json(attempt));
          if (random.nextBoolean()) {
            request.header("Authorization", "Bearer not-" + Texts.hex(random, 12));
          }
          return FuzzInput.hostile(ENDPOINT, request.bytes(), true, "no or wrong token", 401);
        }
      default:
        {
          if (!targets.programsDeclared) {
            attempt.put("programId", "x".repeat(201 + random.nextInt(300)));
            return hostile(json(attempt), "programId too long", 400).naming("programId");
          }
          attempt.put("programId", "fuzz-" + Texts.hex(random, 8));
          return hostile(json(attempt), "unknown programId", 400, 404, 422);
        }
    }
  }

  private Map<String, Object> attempt(Random random) {
    Map<String, Object> attempt = new LinkedHashMap<>();
    attempt.put("phone", targets.hostilePhones.next());
    attempt.put("programId", targets.program(random));
    attempt.put("code", Texts.digits(random, targets.codeLength));
    return attempt;
  }

  private FuzzInput hostile(String body, String label, Integer... expected) {
    return FuzzInput.hostile(
        ENDPOINT, targets.api("POST", PATH).json(body).bytes(), true, label, expected);
  }
}
