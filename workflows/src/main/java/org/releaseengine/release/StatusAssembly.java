package org.releaseengine.release;

import java.util.List;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;

/**
 * Puts a release's status together from the rooms that each keep a part of it: the stages, the
 * decisions, the notifications and the measurements. The release adds what it keeps itself.
 */
final class StatusAssembly {

  private final StageBoard board;
  private final ApprovalDesk desk;
  private final Announcer announcer;
  private final EnvironmentMailbox mailbox;
  private final MetricAnalysis analysis;

  StatusAssembly(
      StageBoard board,
      ApprovalDesk desk,
      Announcer announcer,
      EnvironmentMailbox mailbox,
      MetricAnalysis analysis) {
    this.board = board;
    this.desk = desk;
    this.announcer = announcer;
    this.mailbox = mailbox;
    this.analysis = analysis;
  }

  /** The status of {@code releaseId} asked as {@code request} (null before it began), by parts. */
  ReleaseStatus.Builder status(String releaseId, ReleaseRequest request) {
    return ReleaseStatus.builder(releaseId)
        .request(
            request == null ? null : request.spec().service(),
            request == null ? null : request.sha(),
            request == null ? null : request.requester(),
            request == null ? null : request.spec().approval())
        .stages(board.current(), board.snapshot())
        .decisions(desk.decisions(), desk.refused(), desk.refusedDropped())
        .notificationError(announcer.lastError())
        .measurements(measurements())
        .traffic(analysis.traffic());
  }

  /** Canary analyses first, then the post-deploy verification. */
  private List<Measurement> measurements() {
    List<Measurement> all = mailbox.canaryMeasurements();
    all.addAll(analysis.measurements());
    return all;
  }
}
