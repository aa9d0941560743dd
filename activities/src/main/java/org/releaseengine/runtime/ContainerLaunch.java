package org.releaseengine.runtime;

import org.releaseengine.model.ConfigPrint;

/**
 * What starting a slot needs beyond its commands, resolved once per deploy on the worker: the
 * container's env file (plain values and secrets; null when it has none), the keyed fingerprint of
 * its configuration, and the registry login for the pull as a Docker config.json (null when the
 * worker has none for the image's registry). The two byte arrays go to the hosts only on a
 * command's standard input.
 */
public record ContainerLaunch(byte[] envFile, ConfigPrint print, byte[] registryConfig) {

  @Override
  public String toString() { // never the env file or the login
    return "ContainerLaunch[" + print.fingerprint() + "]";
  }
}
