package org.releaseengine.model;

/** Blue-green slots. */
public enum Slot {
  BLUE,
  GREEN;

  public Slot other() {
    return this == BLUE ? GREEN : BLUE;
  }

  public String label() {
    return name().toLowerCase();
  }
}
