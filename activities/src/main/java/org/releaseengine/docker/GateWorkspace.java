package org.releaseengine.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checkout as a gate container gets it: mounted writable at {@link SealedRunner#WORKSPACE}, and
 * the user the container runs as, who must be able to write reports into it.
 */
final class GateWorkspace {

  /** The user a root worker runs gate containers as: no user of the host or the image. */
  static final String UNPRIVILEGED = "10001:10001";

  private final Path checkout;
  private final String user;

  private GateWorkspace(Path checkout, String user) {
    this.checkout = checkout;
    this.user = user;
  }

  /** {@code checkout} made writable for the user the container will run as. */
  static GateWorkspace open(Path checkout) throws SealedRunner.Refused {
    GateWorkspace workspace = new GateWorkspace(checkout, containerUser());
    workspace.openToContainer();
    return workspace;
  }

  /** The user the container runs as. */
  String user() {
    return user;
  }

  /** The checkout mounted at {@link SealedRunner#WORKSPACE}, writable. */
  Bind bind() {
    return new Bind(checkout.toString(), new Volume(SealedRunner.WORKSPACE), AccessMode.rw);
  }

  /**
   * The worker's own uid when it is not root (so it can delete what the container writes), else an
   * unprivileged one.
   */
  static String containerUser() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      return uid == 0 ? UNPRIVILEGED : uid + ":" + gid;
    } catch (IOException | UnsupportedOperationException e) {
      return UNPRIVILEGED;
    }
  }

  /**
   * Lets the container's user write reports into the checkout. The checkout's parent directory is
   * the worker's own (mode 700): nobody else on the host reaches it.
   */
  private void openToContainer() throws SealedRunner.Refused {
    if (!user.equals(UNPRIVILEGED)) {
      return;
    }
    try (Stream<Path> files = Files.walk(checkout)) {
      for (Path file : files.toList()) {
        if (Files.isSymbolicLink(file)) {
          continue;
        }
        Set<PosixFilePermission> modes = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        modes.addAll(
            List.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE));
        if (Files.isDirectory(file) || modes.contains(PosixFilePermission.OWNER_EXECUTE)) {
          modes.add(PosixFilePermission.GROUP_EXECUTE);
          modes.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        Files.setPosixFilePermissions(file, modes);
      }
    } catch (IOException e) {
      throw new SealedRunner.Refused(
          "cannot open the checkout to the gate container: " + e.getMessage());
    }
  }
}
