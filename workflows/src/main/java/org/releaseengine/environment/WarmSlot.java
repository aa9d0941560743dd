package org.releaseengine.environment;

import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;

/**
 * The previous slot, still running so that a rollback is a switch; retired at {@code retireAtMs}.
 */
public record WarmSlot(Slot slot, ImageRef image, long retireAtMs) {}
