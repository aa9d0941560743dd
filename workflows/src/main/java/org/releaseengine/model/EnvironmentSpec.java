package org.releaseengine.model;

import java.time.Duration;
import java.util.List;

/**
 * One environment (staging, production): its hosts, the public URL that nginx serves, the two slot
 * ports, the health path, and how long the previous slot stays warm for an instant rollback.
 */
public record EnvironmentSpec(
    String url,
    List<HostSpec> hosts,
    SlotPorts slots,
    String healthPath,
    Duration rollbackWindow) {}
