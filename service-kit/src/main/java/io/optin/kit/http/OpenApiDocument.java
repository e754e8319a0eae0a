package io.optin.kit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /openapi.json}: docs/openapi.yaml (copied into this jar by the build, so what is
 * served is the document in the repository) read once and answered as JSON, with an ETag and a
 * cache lifetime; no token, like health.
 */
public final class OpenApiDocument implements HttpHandler {

  public static final String PATH = "/openapi.json";

  /** Where the build puts docs/openapi.yaml on the class path. */
  public static final String RESOURCE = "/io/optin/kit/http/openapi.yaml";

  /** The document changes only with a release: caches may keep it a while. */
  static final String CACHE_CONTROL = "public, max-age=300";

  private final byte[] json;
  private final String etag;

  private OpenApiDocument(byte[] json) {
    this.json = json;
    this.etag = "\"" + sha256(json).substring(0, 32) + "\"";
  }

  /** The document of this build, read from the class path. */
  public static OpenApiDocument load() {
    return new OpenApiDocument(toJsonBytes(read()));
  }

  /** The document as parsed from its YAML. */
  public static JsonNode read() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  private static byte[] toJsonBytes(JsonNode document) {
    try {
      return new ObjectMapper().writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON served. */
  public byte[] json() {
    return json.clone();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpExchanges.accepts(exchange, PATH, "GET")) {
        return;
      }
      exchange.getResponseHeaders().set("Cache-Control", CACHE_CONTROL);
      exchange.getResponseHeaders().set("ETag", etag);
      if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      HttpExchanges.send(exchange, 200, "application/json", json);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JRE", e);
    }
  }
}
