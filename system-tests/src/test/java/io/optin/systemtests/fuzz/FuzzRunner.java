package io.optin.systemtests.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.systemtests.fuzz.FuzzReport.Kind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/** Sends inputs from a few client threads and judges every answer against its input's oracle. */
final class FuzzRunner {

  /** Means "a 400 must name some field", whichever. */
  static final String ANY_FIELD = "*";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTERNAL =
      Pattern.compile("Exception|\\tat |java\\.[a-z]+\\.|com\\.fasterxml|org\\.apache");

  private final RawHttpClient client;
  private final int gatewayPort;
  private final int registryPort;
  private final FuzzReport report;

  FuzzRunner(RawHttpClient client, int gatewayPort, int registryPort, FuzzReport report) {
    this.client = client;
    this.gatewayPort = gatewayPort;
    this.registryPort = registryPort;
    this.report = report;
  }

  void run(List<FuzzInput> inputs, int threads) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> sent =
          inputs.stream().<Future<?>>map(input -> pool.submit(() -> send(input))).toList();
      for (Future<?> future : sent) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("the fuzz client itself failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void send(FuzzInput input) {
    int port = input.target() == FuzzInput.Target.GATEWAY ? gatewayPort : registryPort;
    RawHttpClient.Answer answer = client.send(port, input.request());
    report.answered(input, answer.status(), answer.millis());
    judge(input, answer);
  }

  private void judge(FuzzInput input, RawHttpClient.Answer answer) {
    String seen = input.label() + " -> ";
    if (answer.dropped()) {
      report.fail(Kind.DROPPED, input.endpoint(), seen + answer.problem());
      return;
    }
    int status = answer.status();
    seen += status + " " + excerpt(answer.body());
    boolean isExpected = input.expected().contains(status);
    // No input, however it is listed, may get an answer >= 500: not even 505 for a bad version.
    if (status >= 500) {
      report.fail(Kind.SERVER_ERROR, input.endpoint(), seen);
    } else if (input.hostile() && status < 300 && status >= 200) {
      report.fail(Kind.HOSTILE_ACCEPTED, input.endpoint(), seen);
    } else if (!input.expected().isEmpty() && !isExpected) {
      report.fail(
          Kind.UNEXPECTED_STATUS, input.endpoint(), seen + "  (expected " + input.expected() + ")");
    }
    if (INTERNAL.matcher(answer.body()).find()) {
      report.fail(Kind.INTERNAL_TEXT, input.endpoint(), seen);
    }
    if (status < 400 || status >= 500) {
      return;
    }
    JsonNode error = jsonObject(answer.body());
    if (input.apiJson() && (error == null || !error.path("error").isTextual())) {
      report.fail(Kind.NO_JSON_ERROR, input.endpoint(), seen);
      return;
    }
    if (status == 400 && input.field() != null) {
      JsonNode field = error == null ? null : error.get("field");
      boolean named =
          field != null
              && field.isTextual()
              && (input.field().equals(ANY_FIELD) || input.field().equals(field.textValue()));
      if (!named) {
        report.fail(
            Kind.NO_FIELD, input.endpoint(), seen + "  (expected field " + input.field() + ")");
      }
    }
  }

  private static JsonNode jsonObject(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The start of a body, control characters shown as escapes. */
  static String excerpt(String text) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && shown.length() < 110; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        shown.append(String.format("\\x%02x", (int) c));
      } else {
        shown.append(c);
      }
    }
    return text.length() > 110 ? shown + "..." : shown.toString();
  }
}
