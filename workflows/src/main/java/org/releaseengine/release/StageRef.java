package org.releaseengine.release;

import org.releaseengine.model.Stage;

/**
 * A stage of one release: the kind of stage, and the environment for a stage that runs once per
 * environment of a listed walk (null for the stages that run once, and for every stage of a
 * release.yaml with the staging/production mapping, whose stage names already say where).
 */
record StageRef(Stage stage, String environment) {

  static StageRef of(Stage stage) {
    return new StageRef(stage, null);
  }

  String label() {
    return stage.label(environment);
  }
}
