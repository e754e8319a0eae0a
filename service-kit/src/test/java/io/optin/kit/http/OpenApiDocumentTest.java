package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.optin.kit.metrics.Metrics;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is what the jar ships and what {@code GET /openapi.json} serves, every example
 * in it is valid against its own schema, and a wrong answer is caught by the contract.
 */
class OpenApiDocumentTest {

  private static final String TOKEN = "test-token";

  private final Metrics metrics = new Metrics();
  private HttpGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldShipTheRepositorysDocument() throws Exception {
    // Given the document in the repository (the module's base directory is service-kit/)
    JsonNode inRepository =
        new YAMLMapper().readTree(Files.readString(Path.of("../docs/openapi.yaml")));

    // Then the class path holds the very same document, an OpenAPI 3.1 one
    assertThat(OpenApiDocument.read()).isEqualTo(inRepository);
    assertThat(inRepository.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void shouldBeAValidOpenApi31DocumentWhoseReferencesAllResolve() throws Exception {
    // Given the document, read by swagger-parser as a client generator would
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed =
        new OpenAPIV3Parser()
            .readContents(Files.readString(Path.of("../docs/openapi.yaml")), null, options);

    // Then it is OpenAPI 3.1 with nothing to report, and its operations are all there
    assertThat(parsed.getMessages()).isEmpty();
    OpenAPI api = parsed.getOpenAPI();
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getPaths().keySet())
        .containsExactlyInAnyOrderElementsOf(OpenApiContract.load().documentedPaths());
    assertThat(api.getComponents().getSecuritySchemes())
        .containsOnlyKeys("bearer", "twilioSignature");
    // Health, metrics and the document itself need no token; the webhooks need Twilio's signature
    for (String open : List.of("/health/live", "/health/ready", "/metrics", "/openapi.json")) {
      assertThat(api.getPaths().get(open).getGet().getSecurity()).as(open).isEmpty();
    }
    assertThat(
            api.getPaths().get("/webhooks/twilio/inbound").getPost().getSecurity().get(0).keySet())
        .containsExactly("twilioSignature");
  }

  @Test
  void shouldHaveEveryExampleValidAgainstItsSchemaAndAnExampleForEveryAnswer() {
    // Given the contract
    OpenApiContract contract = OpenApiContract.load();
    JsonNode document = contract.document();
    List<String> withoutExample = new ArrayList<>();
    int examples = 0;

    // When every documented answer's examples are checked as if a service had answered them
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        for (Iterator<Map.Entry<String, JsonNode>> answers =
                op.getValue().path("responses").fields();
            answers.hasNext(); ) {
          Map.Entry<String, JsonNode> answer = answers.next();
          JsonNode response = resolve(document, answer.getValue());
          String where = op.getKey().toUpperCase() + " " + path.getKey() + " " + answer.getKey();
          if (!response.has("content")) {
            continue;
          }
          for (Iterator<Map.Entry<String, JsonNode>> media = response.path("content").fields();
              media.hasNext(); ) {
            Map.Entry<String, JsonNode> type = media.next();
            List<JsonNode> values = examplesOf(type.getValue());
            if (values.isEmpty()) {
              withoutExample.add(where + " " + type.getKey());
            }
            for (JsonNode value : values) {
              examples++;
              String body = value.isTextual() ? value.asText() : value.toString();
              assertThat(
                      contract.problems(
                          op.getKey().toUpperCase(),
                          URI.create(concrete(path.getKey())),
                          null,
                          "",
                          Integer.parseInt(answer.getKey()),
                          headersOf(document, response, type.getKey()),
                          body))
                  .as(where + " " + type.getKey())
                  .isEmpty();
            }
          }
        }
      }
    }

    // Then every answer with a body has an example, and each is valid
    assertThat(withoutExample).isEmpty();
    assertThat(examples).isGreaterThan(60);
  }

  @Test
  void shouldServeTheDocumentAsJsonWithoutATokenWithCacheHeaders() throws Exception {
    // Given a port that requires a token on /v1/*
    gateway = HttpGateway.open("127.0.0.1", 0, 4, List.of(TOKEN), metrics);
    ContractCheckedHttpClient http = ContractCheckedHttpClient.newClient();

    // When the document is asked for without a token
    HttpResponse<String> answer =
        http.send(HttpRequest.newBuilder(gateway.url().resolve("/openapi.json")).build());

    // Then it is the YAML document as JSON, cacheable
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(answer.headers().firstValue("Cache-Control")).contains("public, max-age=300");
    assertThat(new ObjectMapper().readTree(answer.body())).isEqualTo(OpenApiDocument.read());
    String etag = answer.headers().firstValue("ETag").orElseThrow();

    // And a client holding the same copy is told so without the body
    HttpResponse<String> again =
        http.send(
            HttpRequest.newBuilder(gateway.url().resolve("/openapi.json"))
                .header("If-None-Match", etag)
                .build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    // And another method is refused
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(gateway.url().resolve("/openapi.json"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(http.validated()).isEqualTo(3);
    assertThat(gateway.paths())
        .containsExactly("/health/live", "/health/ready", "/metrics", "/openapi.json");
  }

  @Test
  void shouldCatchAnAnswerTheDocumentDoesNotDescribe() {
    // Given the contract
    OpenApiContract contract = OpenApiContract.load();
    Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));

    // Then a field the schema does not have, a status not documented, a missing Retry-After, an
    // undocumented path, and a bad date are all problems
    assertThat(
            contract.problems(
                "POST",
                URI.create("/v1/signups"),
                null,
                "",
                202,
                json,
                "{\"signupId\":\"s1\",\"status\":\"pending\",\"extra\":1}"))
        .singleElement()
        .asString()
        .contains("extra");
    assertThat(
            contract.problems("GET", URI.create("/v1/limits/blocked"), null, "", 418, json, "[]"))
        .singleElement()
        .asString()
        .contains("status 418 not documented");
    assertThat(
            contract.problems(
                "POST",
                URI.create("/v1/signups"),
                null,
                "",
                429,
                json,
                "{\"error\":\"too many signups for this phone\",\"field\":\"phone\"}"))
        .singleElement()
        .asString()
        .contains("Retry-After");
    assertThat(contract.problems("GET", URI.create("/v2/nothing"), null, "", 200, json, "{}"))
        .singleElement()
        .asString()
        .contains("path not documented");
    assertThat(
            contract.problems(
                "GET",
                URI.create("/v1/limits/blocked"),
                null,
                "",
                200,
                json,
                "[{\"prefix\":\"+1415\",\"until\":\"tomorrow\",\"sends\":1,\"confirmed\":0}]"))
        .singleElement()
        .asString()
        .contains("date-time");
    assertThatThrownBy(
            () ->
                contract.assertMatches(
                    "POST",
                    URI.create("/v1/signups"),
                    "application/json",
                    "{\"phone\":\"+14155550100\"}",
                    202,
                    json,
                    "{\"signupId\":\"s1\",\"status\":\"pending\"}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(request)");
  }

  /** A path of the document with its parameters filled in. */
  private static String concrete(String template) {
    return template
        .replace("{phone}", "%2B14155550100")
        .replace("{service}", "ingest")
        .replace("{id}", "SM1");
  }

  private static JsonNode resolve(JsonNode document, JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  private static List<JsonNode> examplesOf(JsonNode media) {
    List<JsonNode> values = new ArrayList<>();
    if (media.has("example")) {
      values.add(media.get("example"));
    }
    media.path("examples").forEach(example -> values.add(example.path("value")));
    return values;
  }

  /** The answer's documented headers, each with its example, and the content type. */
  private static Map<String, List<String>> headersOf(
      JsonNode document, JsonNode response, String contentType) {
    Map<String, List<String>> headers = new java.util.HashMap<>();
    headers.put("Content-Type", List.of(contentType));
    response
        .path("headers")
        .fields()
        .forEachRemaining(
            h ->
                headers.put(
                    h.getKey(), List.of(resolve(document, h.getValue()).path("example").asText())));
    return headers;
  }
}
