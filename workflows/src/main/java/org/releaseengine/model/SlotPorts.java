package org.releaseengine.model;

/** The loopback ports of the blue and green slots on each host. */
public record SlotPorts(int blue, int green) {

  public int portOf(Slot slot) {
    return slot == Slot.BLUE ? blue : green;
  }
}
