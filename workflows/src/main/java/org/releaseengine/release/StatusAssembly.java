package org.releaseengine.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.TrafficCount;

/**
 * Puts a release's status together from the rooms that each keep a part of it: the stages, the
 * decisions, the notifications and the measurements. The release adds what it keeps itself.
 */
final class StatusAssembly {

  private final StageBoard board;
  private final ApprovalDesk desk;
  private final Announcer announcer;
  private final EnvironmentMailbox mailbox;
  private final Collection<MetricAnalysis> analyses;

  StatusAssembly(
      StageBoard board,
      ApprovalDesk desk,
      Announcer announcer,
      EnvironmentMailbox mailbox,
      Collection<MetricAnalysis> analyses) {
    this.board = board;
    this.desk = desk;
    this.announcer = announcer;
    this.mailbox = mailbox;
    this.analyses = analyses;
  }

  /** The status of {@code releaseId} asked as {@code request} (null before it began), by parts. */
  ReleaseStatus.Builder status(String releaseId, ReleaseRequest request) {
    return ReleaseStatus.builder(releaseId)
        .request(
            request == null ? null : request.spec().service(),
            request == null ? null : request.sha(),
            request == null ? null : request.requester(),
            request == null ? null : desk.policy())
        .stages(board.currentStatus(), board.snapshot())
        .decisions(desk.decisions(), desk.refused(), desk.refusedDropped())
        .notificationError(announcer.lastError())
        .measurements(measurements())
        .traffic(traffic());
  }

  /** Canary analyses first, then each environment's post-deploy verification in order. */
  private List<Measurement> measurements() {
    List<Measurement> all = new ArrayList<>(mailbox.canaryMeasurements());
    analyses.forEach(analysis -> all.addAll(analysis.measurements()));
    return all;
  }

  /**
   * What a verification's traffic did: the last environment's post-deploy analysis that sent any,
   * else a canary analysis's; null when none sent any.
   */
  private TrafficCount traffic() {
    TrafficCount last = mailbox.canaryTraffic();
    for (MetricAnalysis analysis : analyses) {
      last = analysis.traffic() == null ? last : analysis.traffic();
    }
    return last;
  }
}
