package io.optin.devkit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One HTTP call as the routes see it: method, decoded path segments, query parameters and a JSON
 * body that is parsed only when a route reads it (so a GET never fails on its body).
 */
record RegistryRequest(
    String method, List<String> path, Map<String, String> query, Supplier<JsonNode> body) {

  boolean flag(String name) {
    return Boolean.parseBoolean(query.get(name));
  }
}
