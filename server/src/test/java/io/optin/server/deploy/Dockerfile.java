package io.optin.server.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Dockerfile's instructions, continuation lines joined and comments dropped, by stage. */
final class Dockerfile {

  private final List<List<String>> stages;

  private Dockerfile(List<List<String>> stages) {
    this.stages = stages;
  }

  static Dockerfile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<String>> stages = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && pending.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      String instruction = (pending + line).replaceAll("\\s+", " ").strip();
      pending.setLength(0);
      if (instruction.isEmpty()) {
        continue;
      }
      if (instruction.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      stages.get(stages.size() - 1).add(instruction);
    }
    return new Dockerfile(stages);
  }

  List<List<String>> stages() {
    return stages;
  }

  List<String> stage(int index) {
    return stages.get(index);
  }

  /** The arguments of the last {@code instruction} of the final stage. */
  String last(String instruction) {
    String found = null;
    for (String line : stages.get(stages.size() - 1)) {
      if (line.startsWith(instruction + " ")) {
        found = line.substring(instruction.length() + 1);
      }
    }
    if (found == null) {
      throw new AssertionError("no " + instruction + " in the final stage");
    }
    return found;
  }

  /**
   * The {@code ENV NAME=value} of the final stage: what every container of the image starts with.
   */
  Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String line : stages.get(stages.size() - 1)) {
      if (line.startsWith("ENV ")) {
        for (String pair : line.substring(4).split(" ")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new AssertionError("only ENV NAME=value is modelled: " + line);
          }
          environment.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return environment;
  }
}
