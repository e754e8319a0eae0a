package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.json;
import static io.optin.systemtests.fuzz.Texts.pick;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Raw HTTP on a socket, for the HTTP layer itself: malformed request lines, CR/LF and NUL in the
 * request target, long targets, huge headers, malformed header lines, bad Content-Length, chunked
 * garbage, foreign Host headers; a few well-formed requests framed unusually (chunked, Expect:
 * 100-continue) that must keep working.
 */
final class ProtocolInputs implements InputFamily {

  static final String ENDPOINT = "raw HTTP";
  private static final Integer[] REFUSED = {400, 404, 405, 411, 413, 414, 415, 431};

  private final FuzzTargets targets;

  ProtocolInputs(FuzzTargets targets) {
    this.targets = targets;
  }

  @Override
  public FuzzInput one(Random random) {
    switch (random.nextInt(14)) {
      case 0, 1:
        {
          // 400 also for what reads as another HTTP version: no answer is ever >= 500
          String line =
              pick(
                  random,
                  List.of(
                      Texts.printableGarbage(random, 1 + random.nextInt(200)),
                      "GET",
                      "GET /health/live",
                      "GET /health/live HTTP/9.9",
                      "GET /health/live HTTP/1.12",
                      "GET /health/live FTP/1.1",
                      "GET /health/live HTTP/1.1 extra",
                      "GET /health/live HTTP/1.1\u0000",
                      "GET /health/\u0000live HTTP/1.1",
                      "POST /v1/signups HTTP/1.1\u001b[2J"));
          return refused(
              RawRequest.line(line).header("Host", targets.host()).bytes(),
              "request line " + FuzzRunner.excerpt(line),
              REFUSED);
        }
      case 2:
        {
          byte[] garbage = new byte[16 + random.nextInt(2000)];
          random.nextBytes(garbage);
          garbage[0] = (byte) ('A' + random.nextInt(26));
          byte[] request = new byte[garbage.length + 4];
          System.arraycopy(garbage, 0, request, 0, garbage.length);
          System.arraycopy(
              "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, request, garbage.length, 4);
          for (int i = 1; i < garbage.length; i++) {
            if (request[i] == '\r' || request[i] == '\n') {
              request[i] = 'x'; // one line of garbage, so the server has seen all of it
            }
          }
          return refused(request, "binary garbage of " + garbage.length + " bytes", REFUSED);
        }
      case 3:
        {
          String target =
              pick(
                  random,
                  List.of(
                      "/v1/subscribers/%2B14155550100\rX-Injected: yes",
                      "/v1/subscribers/%2B14155550100\nX-Injected: yes",
                      "/health/live\r\nSet-Cookie: x=1"));
          byte[] request =
              RawRequest.line("GET " + target + " HTTP/1.1")
                  .header("Host", targets.host())
                  .header("Authorization", "Bearer " + targets.token)
                  .header("Connection", "close")
                  .bytes();
          return refused(request, "CR/LF in target " + FuzzRunner.excerpt(target), 400);
        }
      case 4:
        {
          String target = "/v1/subscribers/" + Texts.repeat(random, "9", 9_000, 70_000);
          return refused(
              targets.api("GET", target).bytes(),
              "target of " + target.length() + " chars",
              414,
              431,
              400);
        }
      case 5:
        {
          RawRequest request = targets.api("GET", "/health/live");
          if (random.nextBoolean()) {
            request.header("X-Huge", Texts.repeat(random, "h", 70_000, 200_000));
          } else {
            int count = 3_000 + random.nextInt(5_000);
            for (int i = 0; i < count; i++) {
              request.header("X-Many-" + i, "v");
            }
          }
          return refused(request.bytes(), "huge headers", 431, 400, 413);
        }
      case 6:
        {
          String line =
              pick(
                  random,
                  List.of(
                      "No-Colon-Here",
                      "Bad Header: x",
                      " folded: continuation",
                      "X-Nul: a\u0000b",
                      ": empty-name",
                      "X-Cr: a\rb"));
          RawRequest request =
              RawRequest.of("GET", "/health/live", targets.host()).headerLine(line);
          return refused(request.bytes(), "header line " + FuzzRunner.excerpt(line), 400);
        }
      case 7:
        return badContentLength(random);
      case 8:
        return chunked(random);
      case 9:
        {
          if (!targets.devHostCheck) {
            return wellFormed(random);
          }
          RawRequest request;
          String what;
          if (random.nextBoolean()) {
            request =
                RawRequest.line("GET http://evil.example/v1/limits/blocked HTTP/1.1")
                    .header("Host", targets.host())
                    .header("Authorization", "Bearer " + targets.token)
                    .header("Connection", "close");
            what = "absolute target on a foreign host";
          } else {
            request = targets.api("GET", "/v1/limits/blocked").header("Host", "evil.example");
            what = "two Host headers, one foreign";
          }
          return refused(request.bytes(), what, 400);
        }
      case 10:
        {
          // A request for a valid input that a second, garbage request follows on the connection
          byte[] request =
              targets
                  .api("GET", "/health/live")
                  .trailing(
                      ("GARBAGE\r\n\r\n" + Texts.printableGarbage(random, 50))
                          .getBytes(StandardCharsets.ISO_8859_1))
                  .bytes();
          return FuzzInput.valid(ENDPOINT, request, "garbage after a request", 200);
        }
      default:
        return wellFormed(random);
    }
  }

  private FuzzInput badContentLength(Random random) {
    String body = json(signup(random, targets.hostilePhones.next()));
    RawRequest request =
        targets
            .api("POST", "/v1/signups")
            .header("Content-Type", "application/json")
            .noContentLength()
            .body(body);
    switch (random.nextInt(7)) {
      case 0 -> request.header("Content-Length", "abc");
      case 1 -> request.header("Content-Length", "-5");
      case 2 -> request.header("Content-Length", "99999999999999999999");
      case 3 -> request.header("Content-Length", body.length() + ", " + (body.length() + 1));
      case 4 -> {
        request.header("Content-Length", Integer.toString(body.length()));
        request.header("Content-Length", Integer.toString(body.length() - 3));
      }
      case 5 -> {
        // announces more than 64 KB: refused as too large without waiting for it
        request.header("Content-Length", Integer.toString(1_000_000_000));
        return refused(request.bytes(), "Content-Length 1e9, short body", 413);
      }
      default -> {
        // A shorter Content-Length: the body is cut, the rest is a garbage second request
        request.header("Content-Length", Integer.toString(body.length() / 2));
        return FuzzInput.hostile(
            ENDPOINT, request.bytes(), true, "Content-Length of half the body", 400);
      }
    }
    return refused(request.bytes(), "bad Content-Length", 400, 411, 413);
  }

  private FuzzInput chunked(Random random) {
    String body = json(signup(random, targets.hostilePhones.next()));
    String framed =
        pick(
            random,
            List.of(
                "zz\r\n" + body + "\r\n0\r\n\r\n",
                "5\r\n" + body + "\r\n0\r\n\r\n",
                "ffffffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n",
                "-1\r\n" + body + "\r\n0\r\n\r\n",
                Integer.toHexString(body.length()) + "\r\n" + body + "0\r\n\r\n"));
    RawRequest request =
        targets
            .api("POST", "/v1/signups")
            .header("Content-Type", "application/json")
            .header("Transfer-Encoding", "chunked")
            .noContentLength()
            .body(framed);
    if (random.nextInt(4) == 0) {
      request.header("Content-Length", Integer.toString(framed.length()));
      return refused(request.bytes(), "Transfer-Encoding and Content-Length", 400);
    }
    return refused(request.bytes(), "chunked garbage " + FuzzRunner.excerpt(framed), 400, 413);
  }

  /** A valid signup framed unusually, or a plain valid read: must keep working. */
  private FuzzInput wellFormed(Random random) {
    String phone = targets.validPhones.next();
    Map<String, Object> signup = signup(random, phone);
    String body = json(signup);
    targets.sentValid(phone, (String) signup.get("programId"), (String) signup.get("consentText"));
    RawRequest request =
        RawRequest.of("POST", "/v1/signups", targets.host())
            .header("Content-Type", "application/json");
    String label;
    switch (random.nextInt(3)) {
      case 0 -> {
        // Two chunks split at a byte, which may fall inside a character: chunks are bytes
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(
            (Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunked.write(bytes, 0, half);
        chunked.writeBytes(
            ("\r\n" + Integer.toHexString(bytes.length - half) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        chunked.write(bytes, half, bytes.length - half);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        request
            .header("Authorization", "Bearer " + targets.token)
            .header("Transfer-Encoding", "chunked")
            .noContentLength()
            .body(chunked.toByteArray());
        label = "valid signup, chunked";
      }
      case 1 -> {
        request
            .header("Authorization", "Bearer " + targets.token)
            .header("Expect", "100-continue")
            .body(body);
        label = "valid signup, Expect: 100-continue";
      }
      default -> {
        request.header("authorization", "bearer " + targets.token).body(body);
        label = "valid signup, lower-case authorization scheme";
      }
    }
    return FuzzInput.valid(ENDPOINT, request.bytes(), label, 202);
  }

  private Map<String, Object> signup(Random random, String phone) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("channel", "web_form");
    source.put("ip", "198.51.100." + random.nextInt(256));
    Map<String, Object> signup = new LinkedHashMap<>();
    signup.put("phone", phone);
    signup.put("programId", targets.program(random));
    signup.put("consentText", "Yes, text me offers. " + Texts.benign(random));
    signup.put("source", source);
    signup.put("locale", "en-US");
    return signup;
  }

  private FuzzInput refused(byte[] request, String label, Integer... expected) {
    return FuzzInput.hostile(ENDPOINT, request, false, label, expected);
  }
}
