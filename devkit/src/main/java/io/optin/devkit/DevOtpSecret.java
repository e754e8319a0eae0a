package io.optin.devkit;

import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code otp.secret} of the dev stack: generated once at random and kept in the data directory,
 * so that codes issued before a restart still verify after it. Never used outside dev, where the
 * secret is a setting.
 */
public final class DevOtpSecret {

  static final String FILE_NAME = "otp.secret";
  private static final int BYTES = 32;

  private DevOtpSecret() {}

  /**
   * Reads the secret kept in {@code dataDir}, creating it (readable by its owner only) the first
   * time.
   */
  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      }
      OwnerOnly.directory(dataDir);
      byte[] random = new byte[BYTES];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      OwnerOnly.createFile(file, secret + "\n", StandardCharsets.US_ASCII);
      return secret;
    } catch (FileAlreadyExistsException raced) {
      return loadOrCreate(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev otp.secret in " + file, e);
    }
  }
}
