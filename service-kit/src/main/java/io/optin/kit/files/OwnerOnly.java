package io.optin.kit.files;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories (0700) and files (0600) that only their owner can read, where the file system is
 * POSIX: the data directory holds secrets, keys and the flow topics' personal data in clear. They
 * are created with these modes (never created open, then closed), and a directory found with a
 * looser mode is tightened. On other file systems the modes are left as they are.
 */
public final class OwnerOnly {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnly() {}

  /**
   * {@code directory}, created 0700 with every missing parent when it does not exist, else
   * tightened to its owner's bits alone when group or others have any.
   *
   * @return {@code directory}
   */
  public static Path directory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      tighten(directory);
      return directory;
    }
    if (posix(existingAncestor(directory))) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } else {
      Files.createDirectories(directory);
    }
    return directory;
  }

  /**
   * Creates {@code file}, which must not exist, 0600 (and its directory as {@link #directory}),
   * then writes {@code text} into it.
   *
   * @throws java.nio.file.FileAlreadyExistsException when it exists
   */
  public static void createFile(Path file, String text, Charset charset) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    directory(parent);
    if (posix(parent)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, text, charset);
  }

  private static void tighten(Path directory) throws IOException {
    if (!posix(directory)) {
      return;
    }
    Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
    if (current.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
      return;
    }
    Set<PosixFilePermission> owner = EnumSet.copyOf(current);
    owner.removeAll(GROUP_OR_OTHERS);
    try {
      Files.setPosixFilePermissions(directory, owner);
      LOG.info(
          "{} was {}: now {}, readable by its owner only",
          directory,
          PosixFilePermissions.toString(current),
          PosixFilePermissions.toString(owner));
    } catch (FileSystemException notOwner) {
      // Someone else's directory (a shared mount): using it is their choice, but say so.
      LOG.warn(
          "{} is {} and cannot be tightened ({}): other local users may read it",
          directory,
          PosixFilePermissions.toString(current),
          notOwner.getReason());
    }
  }

  private static Path existingAncestor(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing;
  }

  private static boolean posix(Path path) {
    return path != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
  }
}
