package io.optin.server.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A docker-compose.yml read as Docker Compose reads it: YAML anchors and merge keys resolved by
 * SnakeYAML, and a container's environment made the way Compose makes it (the image's {@code ENV},
 * then {@code env_file}, then {@code environment} with {@code ${VAR}}, {@code ${VAR:-default}} and
 * {@code ${VAR:?error}} interpolated from the project's .env).
 */
final class ComposeFile {

  /** Compose stops at {@code ${VAR:?message}} when VAR is unset or empty. */
  static final class InterpolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InterpolationException(String message) {
      super(message);
    }
  }

  private static final Pattern VARIABLE =
      Pattern.compile(
          "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final Map<String, Object> root;

  private ComposeFile(Map<String, Object> root) {
    this.root = root;
  }

  static ComposeFile read(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new ComposeFile(new Yaml().load(reader));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  Map<String, Object> root() {
    return root;
  }

  Map<String, Object> services() {
    return map(root, "services");
  }

  /** The mapping under {@code key}, empty when there is none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  /** A list or a single value as strings; empty when absent. */
  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  /**
   * The environment of a container of {@code service}: the image's (for a service built from the
   * repository's Dockerfile), its {@code env_file} ({@code .env} is {@code dotEnv}), its {@code
   * environment} interpolated from {@code dotEnv}; later ones win, as in Compose.
   *
   * @throws InterpolationException where Compose would stop on {@code ${VAR:?...}}
   */
  static Map<String, String> containerEnvironment(
      Map<String, Object> service, Map<String, String> dotEnv) {
    Map<String, String> environment = new LinkedHashMap<>();
    if (".".equals(service.get("build"))) {
      environment.putAll(Dockerfile.read(ROOT.resolve("Dockerfile")).environment());
    }
    for (String declaredFile : strings(service.get("env_file"))) {
      String file = interpolate(declaredFile, dotEnv);
      if (!file.equals(".env")) {
        throw new IllegalArgumentException("only .env is modelled, not " + file);
      }
      environment.putAll(dotEnv);
    }
    Object declared = service.get("environment");
    if (declared instanceof List<?>) {
      throw new IllegalArgumentException("environment as a list is not modelled: use a mapping");
    }
    map(service, "environment")
        .forEach(
            (name, value) -> {
              if (value == null) {
                throw new IllegalArgumentException(
                    name + " without a value would be taken from the shell: not reproducible");
              }
              environment.put(name, interpolate(String.valueOf(value), dotEnv));
            });
    return environment;
  }

  /** Compose's interpolation of one value. */
  static String interpolate(String text, Map<String, String> variables) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(result, Matcher.quoteReplacement(resolve(matcher, variables)));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static String resolve(Matcher matcher, Map<String, String> variables) {
    if (matcher.group().equals("$$")) {
      return "$";
    }
    String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(4);
    String value = variables.get(name);
    String operator = matcher.group(2);
    if (operator == null) {
      return value == null ? "" : value;
    }
    boolean colon = operator.startsWith(":");
    boolean missing = value == null || (colon && value.isEmpty());
    if (!missing) {
      return value;
    }
    if (operator.endsWith("?")) {
      throw new InterpolationException("required variable " + name + ": " + matcher.group(3));
    }
    return matcher.group(3);
  }
}
