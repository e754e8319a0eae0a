package io.optin.kit.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request and its answer against docs/openapi.yaml: the path and method are documented,
 * the status is one of the operation's, the content type one of that status's, the JSON body valid
 * against its schema (JSON Schema 2020-12 in OpenAPI 3.1's dialect, by networknt's validator, with
 * format assertions), required headers present, and a request body that was accepted (2xx) valid
 * against the operation's request schema. Any mismatch is a problem: the document has drifted.
 */
public final class OpenApiContract {

  /** The document's IRI for the validator: $refs inside it resolve against it. */
  private static final String DOCUMENT_IRI = "https://optin.invalid/openapi.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

  private final JsonNode document;
  private final JsonSchemaFactory schemas;
  private final SchemaValidatorsConfig config;
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
  private final List<PathTemplate> paths = new ArrayList<>();

  private OpenApiContract(JsonNode document) {
    this.document = document;
    String text;
    try {
      text = JSON.writeValueAsString(document);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
    this.schemas =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder
                    .metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                    .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, text))));
    this.config =
        SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .build();
    for (Iterator<String> names = document.path("paths").fieldNames(); names.hasNext(); ) {
      paths.add(PathTemplate.of(names.next()));
    }
  }

  /** The document the build ships (docs/openapi.yaml, from the class path). */
  public static OpenApiContract load() {
    return new OpenApiContract(OpenApiDocument.read());
  }

  public JsonNode document() {
    return document;
  }

  /** The documented paths, as written in the document ({@code /v1/subscribers/{phone}}). */
  public List<String> documentedPaths() {
    return paths.stream().map(PathTemplate::template).toList();
  }

  /**
   * What is wrong with this exchange in the document's eyes; empty when it matches.
   *
   * @param requestContentType the request's Content-Type, or null without a body
   * @param requestBody the request's body, empty without one
   * @param headers the answer's headers (names in any case)
   */
  public List<String> problems(
      String method,
      URI uri,
      String requestContentType,
      String requestBody,
      int status,
      Map<String, List<String>> headers,
      String body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + uri.getRawPath();
    Optional<PathTemplate> path = match(uri.getRawPath());
    if (path.isEmpty()) {
      return List.of(where + ": path not documented");
    }
    String pointer = "/paths/" + escape(path.get().template());
    JsonNode operation = document.at(pointer).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      // A method a path does not document is refused: 405 in the error shape is what it promises.
      if (status == 405) {
        validateJson(where + " 405", "/components/schemas/Error", body, problems);
        return problems;
      }
      return List.of(where + ": method not documented for " + path.get().template());
    }
    pointer += "/" + method.toLowerCase(Locale.ROOT);
    if (status >= 200 && status < 300 && requestBody != null && !requestBody.isEmpty()) {
      requestProblems(where, pointer, requestContentType, requestBody, problems);
    }
    JsonNode responses = operation.path("responses");
    String key = Integer.toString(status);
    if (!responses.has(key)) {
      key = status / 100 + "XX";
    }
    if (!responses.has(key)) {
      key = "default";
    }
    if (!responses.has(key)) {
      problems.add(where + ": status " + status + " not documented (body " + body + ")");
      return problems;
    }
    Located response = resolve(new Located(responses.get(key), pointer + "/responses/" + key));
    String context = where + " " + status;
    for (Iterator<Map.Entry<String, JsonNode>> it = response.node().path("headers").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      JsonNode spec =
          resolve(
                  new Located(
                      header.getValue(),
                      response.pointer() + "/headers/" + escape(header.getKey())))
              .node();
      if (spec.path("required").asBoolean(false) && header(headers, header.getKey()).isEmpty()) {
        problems.add(context + ": required header " + header.getKey() + " missing");
      }
    }
    JsonNode content = response.node().path("content");
    String contentType = header(headers, "Content-Type").orElse(null);
    if (content.isMissingNode() || content.isEmpty()) {
      if (body != null && !body.isEmpty()) {
        problems.add(context + ": documented without a body, answered " + body);
      }
      return problems;
    }
    if (contentType == null) {
      problems.add(context + ": no Content-Type, documented " + names(content));
      return problems;
    }
    String media = mediaType(contentType);
    if (!content.has(media)) {
      problems.add(context + ": Content-Type " + contentType + " not documented " + names(content));
      return problems;
    }
    String schemaPointer = response.pointer() + "/content/" + escape(media) + "/schema";
    if (content.path(media).path("schema").isMissingNode()) {
      return problems;
    }
    JsonNode value;
    if (isJson(media)) {
      try {
        value = JSON.readTree(body);
      } catch (JacksonException e) {
        problems.add(context + ": body is not JSON: " + body);
        return problems;
      }
    } else {
      value = TextNode.valueOf(body);
    }
    validate(context, schemaPointer, value, problems);
    return problems;
  }

  /** As {@link #problems}, throwing an {@link AssertionError} that lists them. */
  public void assertMatches(
      String method,
      URI uri,
      String requestContentType,
      String requestBody,
      int status,
      Map<String, List<String>> headers,
      String body) {
    List<String> problems =
        problems(method, uri, requestContentType, requestBody, status, headers, body);
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "the answer does not match docs/openapi.yaml:\n  " + String.join("\n  ", problems));
    }
  }

  private void requestProblems(
      String where, String pointer, String contentType, String body, List<String> problems) {
    Located request =
        resolve(new Located(document.at(pointer).path("requestBody"), pointer + "/requestBody"));
    JsonNode content = request.node().path("content");
    if (content.isMissingNode()) {
      problems.add(where + ": a body was accepted but none is documented");
      return;
    }
    String media = contentType == null ? "" : mediaType(contentType);
    if (!content.has(media)) {
      problems.add(where + ": request Content-Type " + contentType + " not documented");
      return;
    }
    String schemaPointer = request.pointer() + "/content/" + escape(media) + "/schema";
    JsonNode value;
    if (isJson(media)) {
      try {
        value = JSON.readTree(body);
      } catch (JacksonException e) {
        problems.add(where + ": an accepted request body is not JSON: " + body);
        return;
      }
    } else if (media.equals("application/x-www-form-urlencoded")) {
      value = JSON.valueToTree(form(body));
    } else {
      value = TextNode.valueOf(body);
    }
    validate(where + " (request)", schemaPointer, value, problems);
  }

  private void validateJson(String context, String pointer, String body, List<String> problems) {
    try {
      validate(context, pointer, JSON.readTree(body), problems);
    } catch (JacksonException e) {
      problems.add(context + ": body is not JSON: " + body);
    }
  }

  private void validate(String context, String pointer, JsonNode value, List<String> problems) {
    JsonSchema schema =
        compiled.computeIfAbsent(
            pointer, p -> schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p), config));
    Set<ValidationMessage> messages = schema.validate(value);
    for (ValidationMessage message : messages) {
      problems.add(context + ": " + message.getMessage() + " in " + value);
    }
  }

  /** Follows an OpenAPI {@code $ref} (a response, header, parameter) inside the document. */
  private Located resolve(Located located) {
    Located current = located;
    for (int hops = 0; current.node().has("$ref") && hops < 8; hops++) {
      String ref = current.node().get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException("only local references are supported: " + ref);
      }
      String target = ref.substring(1);
      current = new Located(document.at(target), target);
    }
    return current;
  }

  private Optional<PathTemplate> match(String rawPath) {
    List<PathTemplate> matching = paths.stream().filter(p -> p.matches(rawPath)).toList();
    // A literal path wins over a template that would also match it.
    return matching.stream()
        .filter(p -> !p.template().contains("{"))
        .findFirst()
        .or(() -> matching.stream().findFirst());
  }

  private static Optional<String> header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
        .map(e -> e.getValue().get(0))
        .findFirst();
  }

  private static String mediaType(String contentType) {
    return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  private static boolean isJson(String media) {
    return media.equals("application/json") || media.endsWith("+json");
  }

  private static List<String> names(JsonNode content) {
    List<String> names = new ArrayList<>();
    content.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    Function<String, String> decode = s -> URLDecoder.decode(s, StandardCharsets.UTF_8);
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          decode.apply(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode.apply(pair.substring(eq + 1)));
    }
    return form;
  }

  /** A JSON pointer token: {@code ~} and {@code /} escaped. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private record Located(JsonNode node, String pointer) {}

  /** A documented path; a {@code {name}} stands for one non-empty segment. */
  private record PathTemplate(String template, Pattern pattern) {

    static PathTemplate of(String template) {
      StringBuilder regex = new StringBuilder();
      Matcher m = TEMPLATE.matcher(template);
      int last = 0;
      while (m.find()) {
        regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
        last = m.end();
      }
      regex.append(Pattern.quote(template.substring(last)));
      // Every route also answers its path with a trailing slash.
      return new PathTemplate(template, Pattern.compile(regex + "/?"));
    }

    boolean matches(String rawPath) {
      return pattern.matcher(rawPath).matches();
    }
  }
}
