package io.optin.systemtests.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an orchestrator sees of an optin process: {@code /health/ready} and {@code /health/live},
 * with each service's state ("ingest RUNNING", "audit ERROR").
 */
final class ServiceStates {

  private final URI gateway;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  ServiceStates(URI gateway) {
    this.gateway = gateway;
  }

  /** A probe's answer: its status (-1: no answer) and each service's state. */
  record Probe(int status, Map<String, String> states) {
    boolean ok() {
      return status == 200;
    }
  }

  Probe ready() {
    return probe("/health/ready");
  }

  Probe live() {
    return probe("/health/live");
  }

  private Probe probe(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, String> states = new LinkedHashMap<>();
      JsonNode services = json.readTree(response.body()).path("services");
      services.forEach(
          s -> states.put(s.path("name").asText(), s.path("state").asText(s.toString())));
      return new Probe(response.statusCode(), states);
    } catch (IOException e) {
      return new Probe(-1, Map.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(-1, Map.of());
    }
  }
}
