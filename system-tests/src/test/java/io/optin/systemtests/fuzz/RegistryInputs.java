package io.optin.systemtests.fuzz;

import static io.optin.systemtests.fuzz.Texts.json;
import static io.optin.systemtests.fuzz.Texts.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The embedded schema registry: malformed and oversized schemas registered or checked for
 * compatibility, malformed paths and ids, bodies that are no JSON; never a valid write (the
 * registry is the stack's own), and a few reads that must keep working. No answer may be a 5xx or
 * show internal exception text.
 */
final class RegistryInputs {

  static final String ENDPOINT = "registry";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Integer[] REFUSED = {400, 404, 405, 409, 413, 415, 422};

  private static final List<String> BAD_SCHEMAS =
      List.of(
          "not avro",
          "{\"type\":\"recrd\",\"name\":\"X\",\"fields\":[]}",
          "{\"type\":\"record\",\"fields\":[]}",
          "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\"}]}",
          "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
              + "{\"name\":\"a\",\"type\":\"int\"}]}",
          "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
              + "\"default\":\"x\"}]}",
          "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"1bad\"]}",
          "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}",
          "{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}",
          "{\"type\":\"array\"}",
          "{\"type\":\"record\",\"name\":\"9X\",\"fields\":[]}",
          "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"Missing\"}]}",
          "[\"null\",\"null\"]",
          "");

  private final String host;

  RegistryInputs(int registryPort) {
    this.host = "127.0.0.1:" + registryPort;
  }

  List<FuzzInput> generate(Random random, int count) {
    List<FuzzInput> inputs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      inputs.add(one(random, i));
    }
    return inputs;
  }

  private FuzzInput one(Random random, int index) {
    String subject = "fuzz-" + Texts.hex(random, 6) + "-value";
    // A handful of 1 to 2 MB schemas: enough to show the size check, not enough to hurt the JVM
    if (index % 100 == 50) {
      String body = json(Map.of("schema", hugeSchema(random)));
      return refused(
          post("/subjects/" + subject + "/versions", body),
          "oversized schema of " + body.length() + " bytes",
          413,
          422);
    }
    switch (random.nextInt(8)) {
      case 0, 1:
        {
          String schema = pick(random, BAD_SCHEMAS);
          String path =
              random.nextBoolean()
                  ? "/subjects/" + subject + "/versions"
                  : "/compatibility/subjects/" + subject + "/versions/latest";
          return refused(
              post(path, json(Map.of("schema", schema))),
              "malformed schema " + FuzzRunner.excerpt(schema),
              REFUSED);
        }
      case 2:
        {
          String body =
              pick(
                  random,
                  List.of(
                      "",
                      "{",
                      "[]",
                      "{\"schema\":5}",
                      "{\"schema\":null}",
                      "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = x\"}",
                      "{\"schemaType\":\"NOPE\",\"schema\":\"{}\"}",
                      "{\"schema\":\"\\\"string\\\"\"} GARBAGE",
                      Texts.printableGarbage(random, 200)));
          return refused(
              post("/subjects/" + subject + "/versions", body),
              "not a schema request: " + FuzzRunner.excerpt(body),
              REFUSED);
        }
      case 3:
        {
          // Deeply nested record types
          int depth = 200 + random.nextInt(800);
          StringBuilder schema = new StringBuilder();
          for (int i = 0; i < depth; i++) {
            schema
                .append("{\"type\":\"record\",\"name\":\"R")
                .append(i)
                .append("\",\"fields\":[{\"name\":\"f\",\"type\":");
          }
          schema.append("\"Missing\"");
          schema.append("}]}".repeat(depth));
          return refused(
              post("/subjects/" + subject + "/versions", json(Map.of("schema", schema.toString()))),
              "schema nested " + depth + " deep, of an undefined type",
              REFUSED);
        }
      case 4, 5:
        {
          String path =
              pick(
                  random,
                  List.of(
                      "/subjects/%zz/versions",
                      "/subjects/" + subject + "/versions/abc",
                      "/subjects/" + subject + "/versions/-5",
                      "/subjects/" + subject + "/versions/99999999999999999999",
                      "/schemas/ids/abc",
                      "/schemas/ids/-1",
                      "/schemas/ids/99999999999999999999",
                      "/schemas/ids/2147483647/schema",
                      "/subjects/" + subject + "/versions/1/schema/extra",
                      "/nothing",
                      "/subjects/%00/versions",
                      "/" + Texts.repeat(random, "a", 100, 3000)));
          return refused(get(path), "GET " + FuzzRunner.excerpt(path), REFUSED);
        }
      case 6:
        {
          String body =
              pick(
                  random,
                  List.of("{\"compatibility\":\"BOGUS\"}", "{}", "[", "{\"compatibility\":5}"));
          return refused(
              RawRequest.of("PUT", "/config", host)
                  .header("Content-Type", CONTENT_TYPE)
                  .body(body)
                  .bytes(),
              "PUT /config " + body,
              REFUSED);
        }
      default:
        {
          String path = pick(random, List.of("/subjects", "/schemas/types", "/config", "/"));
          return new FuzzInput(
              ENDPOINT,
              FuzzInput.Target.REGISTRY,
              get(path),
              false,
              java.util.Set.of(200),
              null,
              false,
              "GET " + path);
        }
    }
  }

  /** A valid Avro record of tens of thousands of fields: over any sensible size limit. */
  private static String hugeSchema(Random random) {
    int fields = 25_000 + random.nextInt(15_000);
    StringBuilder schema = new StringBuilder("{\"type\":\"record\",\"name\":\"Huge\",\"fields\":[");
    for (int i = 0; i < fields; i++) {
      schema
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"field_")
          .append(i)
          .append("\",\"type\":\"string\"}");
    }
    return schema.append("]}").toString();
  }

  private FuzzInput refused(byte[] request, String label, Integer... expected) {
    return FuzzInput.hostile(ENDPOINT, request, false, label, expected)
        .to(FuzzInput.Target.REGISTRY);
  }

  private byte[] post(String path, String body) {
    return RawRequest.of("POST", path, host)
        .header("Content-Type", CONTENT_TYPE)
        .body(body)
        .bytes();
  }

  private byte[] get(String path) {
    return RawRequest.of("GET", path, host).bytes();
  }
}
