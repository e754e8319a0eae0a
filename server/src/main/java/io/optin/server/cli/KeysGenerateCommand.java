package io.optin.server.cli;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.kit.files.OwnerOnly;
import io.optin.server.keys.EnvFile;
import io.optin.server.keys.GeneratedSecrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin keys generate}: writes an env file, readable by its owner only, with fresh values
 * for every secret optin makes itself; it never overwrites a file unless told to, and never prints
 * a secret.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write an env file (OPTIN_*=value, mode 0600) with fresh secrets: otp.secret, "
          + "audit.subject.secret, audit.master.key, audit.signing.key and one api.tokens token.",
      "With --template (such as .env.example), the template is copied with its blank secret "
          + "variables filled; the other blank ones (Twilio, public.base.url) are listed for you "
          + "to fill. Secrets are never printed."
    })
public final class KeysGenerateCommand implements Callable<Integer> {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = ".env",
      description = "Env file to write (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(
      names = "--template",
      paramLabel = "FILE",
      description = "Env file to copy, its blank secret variables filled (e.g. .env.example).")
  private Path template;

  @Option(names = "--force", description = "Replace FILE when it exists.")
  private boolean force;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (Files.exists(out) && !force) {
      err.println("optin: " + out + " exists; not overwritten (--force replaces it)");
      err.flush();
      return FailureHandler.FAILED;
    }
    EnvFile base;
    try {
      base =
          template == null
              ? EnvFile.empty()
              : EnvFile.parse(Files.readString(template, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      err.println("optin: cannot use the template " + template + ": " + e.getMessage());
      err.flush();
      return FailureHandler.FAILED;
    }
    GeneratedSecrets secrets = GeneratedSecrets.generate();
    Map<String, String> before = base.values();
    List<String> generated =
        secrets.byVariable().keySet().stream()
            .filter(name -> before.getOrDefault(name, "").isEmpty())
            .toList();
    EnvFile written = base.filled(secrets.byVariable());
    write(written.text());
    report(secrets, generated, written);
    return 0;
  }

  private void write(String text) {
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (!Files.isDirectory(parent)) {
        OwnerOnly.directory(parent);
      }
      // Removed, then created 0600: a replaced file is never open to others, even for a moment.
      // Only the file is made owner-only: the directory it lands in (often a checkout) is left as
      // it is.
      if (force) {
        Files.deleteIfExists(out);
      }
      if (Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null) {
        Files.createFile(out, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(out);
      }
      Files.writeString(out, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }

  private void report(GeneratedSecrets secrets, List<String> generated, EnvFile written) {
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("Wrote " + out + " (readable by its owner only)");
    stdout.println(
        "  generated  " + (generated.isEmpty() ? "nothing" : String.join(", ", generated)));
    List<String> kept =
        secrets.byVariable().keySet().stream().filter(name -> !generated.contains(name)).toList();
    if (!kept.isEmpty()) {
      stdout.println("  kept       " + String.join(", ", kept) + " (set in the template)");
    }
    if (!written.blanks().isEmpty()) {
      stdout.println("  to fill    " + String.join(", ", written.blanks()));
    }
    if (generated.contains("OPTIN_AUDIT_SIGNING_KEY")) {
      stdout.println(
          "Auditors verify the ledger's checkpoints with "
              + CheckpointPublicKey.SETTING
              + "="
              + secrets.signingPublicKey());
    }
    stdout.flush();
  }
}
