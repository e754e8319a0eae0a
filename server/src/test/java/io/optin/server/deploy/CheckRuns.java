package io.optin.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.server.OptinCommand;
import io.optin.server.keys.EnvFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The optin command line as a container runs it, with a given environment and no other. */
final class CheckRuns {

  /** Exit code, and standard output followed by standard error. */
  record Result(int exitCode, String output) {}

  private CheckRuns() {}

  /** {@code optin <command…> --check} with exactly {@code environment}. */
  static Result check(Map<String, String> environment, List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add("--check");
    return run(environment, args);
  }

  /**
   * {@code optin keys generate --template <template> --out <out>}, which must succeed; the values
   * of the file it wrote.
   */
  static Map<String, String> generateEnvFile(Path template, Path out) throws IOException {
    Result result =
        run(
            Map.of(),
            List.of(
                "keys", "generate", "--template", template.toString(), "--out", out.toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    return EnvFile.parse(Files.readString(out)).values();
  }

  static Result run(Map<String, String> environment, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = OptinCommand.commandLine(environment);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args.toArray(String[]::new));
    return new Result(exit, out.toString() + err);
  }
}
