package io.optin.devkit.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * The REST subset of Confluent Schema Registry that serializers and tools use, mapped onto the
 * catalog: subjects and versions, schemas by id, compatibility checks, and compatibility
 * configuration.
 */
final class RegistryRoutes {

  /** A body that already is JSON text (a schema returned as itself). */
  private record RawJson(String text) {}

  private final SchemaCatalog catalog;
  private final ObjectMapper json;

  RegistryRoutes(SchemaCatalog catalog, ObjectMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  RegistryResponse handle(RegistryRequest r) {
    List<String> p = r.path();
    if (p.isEmpty()) {
      return answer(r, Map.of("GET", json::createObjectNode));
    }
    return switch (p.get(0)) {
      case "subjects" -> subjects(r, p);
      case "schemas" -> schemas(r, p);
      case "compatibility" -> compatibility(r, p);
      case "config" -> config(r, p);
      default -> throw RegistryErrors.notFound();
    };
  }

  private RegistryResponse subjects(RegistryRequest r, List<String> p) {
    if (p.size() == 1) {
      return answer(r, Map.of("GET", catalog::subjects));
    }
    String subject = p.get(1);
    if (p.size() == 2) {
      return answer(r, Map.of("POST", () -> versionJson(catalog.lookup(subject, schemaOf(r)))));
    }
    if (!"versions".equals(p.get(2)) || p.size() > 5) {
      throw RegistryErrors.notFound();
    }
    if (p.size() == 3) {
      return answer(
          r,
          Map.of(
              "GET", () -> catalog.versions(subject),
              "POST",
                  () -> json.createObjectNode().put("id", catalog.register(subject, schemaOf(r)))));
    }
    if (p.size() == 5 && !"schema".equals(p.get(4))) {
      throw RegistryErrors.notFound();
    }
    return answer(
        r,
        Map.of(
            "GET",
            () -> {
              RegisteredSchema version = catalog.version(subject, VersionRef.parse(p.get(3)));
              return p.size() == 5 ? new RawJson(version.schema()) : versionJson(version);
            }));
  }

  private RegistryResponse schemas(RegistryRequest r, List<String> p) {
    if (p.size() == 2 && "types".equals(p.get(1))) {
      return answer(r, Map.of("GET", () -> List.of("AVRO")));
    }
    boolean raw = p.size() == 4 && "schema".equals(p.get(3));
    if (!(p.size() == 3 || raw) || !"ids".equals(p.get(1))) {
      throw RegistryErrors.notFound();
    }
    int id = schemaId(p.get(2));
    return answer(
        r,
        Map.of(
            "GET",
            () ->
                raw
                    ? new RawJson(catalog.schemaById(id))
                    : json.createObjectNode().put("schema", catalog.schemaById(id))));
  }

  private RegistryResponse compatibility(RegistryRequest r, List<String> p) {
    if (p.size() < 4
        || p.size() > 5
        || !"subjects".equals(p.get(1))
        || !"versions".equals(p.get(3))) {
      throw RegistryErrors.notFound();
    }
    String subject = p.get(2);
    return answer(
        r,
        Map.of(
            "POST",
            () -> {
              Optional<VersionRef> ref =
                  p.size() == 5 ? Optional.of(VersionRef.parse(p.get(4))) : Optional.empty();
              SchemaRequest request = SchemaRequest.from(body(r));
              // Against all versions, a subject without versions accepts anything (a check before
              // the first one).
              List<String> problems =
                  ref.isEmpty() && !catalog.subjects().contains(subject)
                      ? List.of()
                      : catalog.compatibilityProblems(subject, ref, request.schema());
              ObjectNode result = json.createObjectNode().put("is_compatible", problems.isEmpty());
              if (r.flag("verbose")) {
                problems.forEach(result.putArray("messages")::add);
              }
              return result;
            }));
  }

  private RegistryResponse config(RegistryRequest r, List<String> p) {
    if (p.size() == 1) {
      return answer(
          r,
          Map.of(
              "GET", () -> levelJson("compatibilityLevel", catalog.globalLevel()),
              "PUT",
                  () -> {
                    CompatibilityLevel level = levelOf(r);
                    catalog.configureGlobal(level);
                    return levelJson("compatibility", level);
                  }));
    }
    if (p.size() != 2) {
      throw RegistryErrors.notFound();
    }
    String subject = p.get(1);
    return answer(
        r,
        Map.of(
            "GET",
                () ->
                    levelJson(
                        "compatibilityLevel",
                        catalog
                            .subjectLevel(subject)
                            .or(
                                () ->
                                    r.flag("defaultToGlobal")
                                        ? Optional.of(catalog.globalLevel())
                                        : Optional.empty())
                            .orElseThrow(
                                () -> RegistryErrors.subjectCompatibilityNotConfigured(subject))),
            "PUT",
                () -> {
                  CompatibilityLevel level = levelOf(r);
                  catalog.configureSubject(subject, level);
                  return levelJson("compatibility", level);
                }));
  }

  /**
   * Runs the action registered for the request's method; a known path with another method is a 405.
   */
  private RegistryResponse answer(RegistryRequest r, Map<String, Supplier<Object>> actions) {
    Supplier<Object> action = actions.get(r.method());
    if (action == null) {
      throw RegistryErrors.methodNotAllowed();
    }
    Object result = action.get();
    if (result instanceof RawJson raw) {
      return RegistryResponse.ok(raw.text());
    }
    try {
      return RegistryResponse.ok(json.writeValueAsString(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write response", e);
    }
  }

  private ObjectNode versionJson(RegisteredSchema s) {
    // schemaType is left out for Avro, as Confluent does.
    return json.createObjectNode()
        .put("subject", s.subject())
        .put("version", s.version())
        .put("id", s.id())
        .put("schema", s.schema());
  }

  private ObjectNode levelJson(String field, CompatibilityLevel level) {
    return json.createObjectNode().put(field, level.name());
  }

  private Schema schemaOf(RegistryRequest r) {
    return SchemaRequest.from(body(r)).schema();
  }

  private static CompatibilityLevel levelOf(RegistryRequest r) {
    JsonNode body = body(r);
    if (!body.isObject()) {
      throw RegistryErrors.unprocessable("expected a JSON object with a \"compatibility\" field");
    }
    return CompatibilityLevel.parse(body.path("compatibility").asText(null))
        .orElseThrow(RegistryErrors::invalidCompatibilityLevel);
  }

  private static JsonNode body(RegistryRequest r) {
    return r.body().get();
  }

  private static int schemaId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      // As Confluent: a path parameter that is not a number matches no resource.
      throw RegistryErrors.notFound();
    }
  }
}
