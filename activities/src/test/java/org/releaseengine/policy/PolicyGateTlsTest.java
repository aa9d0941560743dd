package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.Specs;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities.AdmissionRequest;

/** An https environment is admitted only on hosts the worker has a certificate and key for. */
class PolicyGateTlsTest {

  @TempDir Path dir;

  private static ReleaseSpec httpsProduction() {
    ReleaseSpec spec = OperatorPolicyTest.withoutHosts(Specs.spec("shop", null));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(spec.environments());
    EnvironmentSpec p = envs.get("production");
    envs.put(
        "production",
        new EnvironmentSpec(
            "https://127.0.0.1:19080",
            p.hosts(),
            p.slots(),
            p.healthPath(),
            p.rollbackWindow(),
            p.verification(),
            p.canary(),
            p.drainTimeout(),
            p.healthStatus(),
            p.healthTimeout(),
            p.versionPath(),
            p.stopTimeout(),
            p.container()));
    return OperatorPolicyTest.with(spec, envs);
  }

  private PolicyGate gate(String hostsFile) throws Exception {
    Path file = dir.resolve("hosts.properties");
    Files.writeString(file, hostsFile);
    return PolicyGate.of(Path.of("src/test/resources/policy/shop.yaml"))
        .withHosts(HostDirectory.load(file));
  }

  private static final String PLAIN =
      "host-19080.privateKey=/k\nhost-19080.knownHosts=/kh\nhost-19080.nginxPrefix=/srv/nginx\n";

  @Test
  void httpsWithoutTheHostsCertificateIsRefusedNamingTheField() throws Exception {
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () -> gate(PLAIN).admit(new AdmissionRequest(httpsProduction(), "ci")));
    assertEquals(FailureTypes.REFUSED, refused.getType());
    assertEquals(
        "environments.production.url: https, but host host-19080 has no certificate: its operator"
            + " sets host-19080.tlsCertificate and host-19080.tlsKey in RELEASE_HOSTS_FILE",
        refused.getOriginalMessage());
  }

  @Test
  void httpsOnAHostWithACertificateIsAdmitted() throws Exception {
    PolicyGate gate =
        gate(
            PLAIN
                + "host-19080.tlsCertificate=/etc/tls/shop.crt\n"
                + "host-19080.tlsKey=/etc/tls/shop.key\n");
    assertEquals(
        "https://127.0.0.1:19080",
        gate.admit(new AdmissionRequest(httpsProduction(), "ci"))
            .spec()
            .environment("production")
            .url());
  }

  @Test
  void plainHttpNeedsNoCertificate() throws Exception {
    ReleaseSpec plain = OperatorPolicyTest.withoutHosts(Specs.spec("shop", null));
    assertEquals("shop", gate(PLAIN).admit(new AdmissionRequest(plain, "ci")).spec().service());
  }

  @Test
  void aCertificateWithoutItsKeyOrAnUnsafePathIsRefusedWhenTheFileIsRead() throws Exception {
    IllegalArgumentException half =
        assertThrows(
            IllegalArgumentException.class,
            () -> gate(PLAIN + "host-19080.tlsCertificate=/etc/tls/shop.crt\n"));
    assertEquals(
        "hosts file: host-19080.tlsKey is missing (host-19080.tlsCertificate needs it)",
        half.getMessage());
    IllegalArgumentException unsafe =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                gate(
                    PLAIN
                        + "host-19080.tlsCertificate=/etc/tls/a b.crt\n"
                        + "host-19080.tlsKey=/etc/tls/shop.key\n"));
    assertEquals(
        "hosts file: host-19080.tlsCertificate: /etc/tls/a b.crt is not an absolute path of"
            + " letters, digits and . _ / -",
        unsafe.getMessage());
  }
}
