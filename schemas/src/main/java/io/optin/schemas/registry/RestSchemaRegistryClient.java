package io.optin.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} speaking Confluent's Schema Registry REST API v1, remembering
 * every answer that cannot change.
 *
 * <p>Works against Confluent Schema Registry, Karapace, Redpanda and Apicurio's
 * Confluent-compatible API (give its {@code /apis/ccompat/v7} base URL). Ids of (subject, schema)
 * pairs and schemas of ids are cached for the life of the client: a registry never reassigns them,
 * so after the first record of a type no record costs an HTTP call. The caches grow with the number
 * of distinct schemas and subjects, which is small and bounded in practice.
 *
 * <p>Schema references are not supported: a schema whose registry entry lists {@code references} is
 * refused with a {@link SchemaRegistryException}. Only Avro schemas are handled; a PROTOBUF or JSON
 * schema id is refused too.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  private record SubjectSchema(String subject, Schema schema) {}

  private final RegistryHttp http;
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Object> firstAsks = new ConcurrentHashMap<>();

  public RestSchemaRegistryClient(SchemaRegistrySettings settings) {
    this(settings, Clock.systemUTC());
  }

  /** A client reading the time of token expiries from {@code clock}. */
  RestSchemaRegistryClient(SchemaRegistrySettings settings, Clock clock) {
    this.http = new RegistryHttp(settings, clock);
  }

  /**
   * A client for Confluent's client configuration keys ({@code schema.registry.url}, {@code
   * basic.auth.*}, {@code bearer.auth.*}, {@code schema.registry.ssl.*}).
   */
  public static RestSchemaRegistryClient fromConfig(Map<String, ?> configs) {
    return new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(configs));
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    // The first record of a type often leaves from many threads at once: one of them asks the
    // registry, the others wait for its answer instead of each sending the same registration.
    synchronized (firstAsks.computeIfAbsent(key, k -> new Object())) {
      cached = ids.get(key);
      return cached != null ? cached : registerOverHttp(key, subject, schema);
    }
  }

  private int registerOverHttp(SubjectSchema key, String subject, Schema schema) {
    JsonNode answer;
    try {
      answer = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 409) {
        throw new SchemaRegistryException(
            e.httpStatus(),
            e.errorCode(),
            "Schema "
                + schema.getFullName()
                + " is incompatible with subject '"
                + subject
                + "': the subject's compatibility rule refuses it. "
                + e.getMessage(),
            e);
      }
      throw e;
    }
    int id = requiredInt(answer, "id", "POST /subjects/" + subject + "/versions");
    remember(key, id);
    return id;
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer;
    try {
      answer = http.post("/subjects/" + encode(subject), schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new SchemaRegistryException(
            e.httpStatus(),
            e.errorCode(),
            "Schema "
                + schema.getFullName()
                + " is not registered under subject '"
                + subject
                + "'. "
                + e.getMessage(),
            e);
      }
      throw e;
    }
    int id = requiredInt(answer, "id", "POST /subjects/" + subject);
    remember(key, id);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    String path = "/schemas/ids/" + id;
    Schema schema = avroSchema(http.get(path), path);
    Schema raced = schemas.putIfAbsent(id, schema);
    return raced == null ? schema : raced;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    String path = "/subjects/" + encode(subject) + "/versions/latest";
    JsonNode answer = http.get(path);
    return new RegisteredSchema(
        subject,
        requiredInt(answer, "id", path),
        requiredInt(answer, "version", path),
        avroSchema(answer, path));
  }

  private void remember(SubjectSchema key, int id) {
    ids.put(key, id);
    schemas.putIfAbsent(id, key.schema());
  }

  private static ObjectNode schemaBody(Schema schema) {
    // No "schemaType": AVRO is the default, and older registries reject the field.
    return RegistryHttp.json().createObjectNode().put("schema", schema.toString());
  }

  private static Schema avroSchema(JsonNode answer, String path) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw malformed(path, "the schema is " + type + ", not AVRO");
    }
    if (answer.path("references").size() > 0) {
      throw malformed(path, "the schema uses schema references, which optin does not support");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw malformed(path, "the answer has no \"schema\" string");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw malformed(path, "the schema does not parse as Avro: " + e.getMessage());
    }
  }

  private static int requiredInt(JsonNode answer, String field, String request) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw malformed(request, "the answer has no integer \"" + field + "\"");
    }
    return value.asInt();
  }

  private static SchemaRegistryException malformed(String request, String problem) {
    return new SchemaRegistryException(
        200,
        SchemaRegistryException.NO_RESPONSE,
        "Unusable Schema Registry answer to " + request + ": " + problem);
  }

  /** Subjects are path segments: URL-encode them, with %20 (not +) for spaces. */
  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
