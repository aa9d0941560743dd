package org.releaseengine.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * The Block Kit message of one release: what it is, each stage with its state and duration, the
 * gate summaries, who approved, and how to inspect it. While it waits for approval it carries
 * Approve and Reject buttons whose value is the release id.
 */
public final class ReleaseMessage {

  public static final String APPROVE = "release_approve";
  public static final String REJECT = "release_reject";

  private ReleaseMessage() {}

  public static String text(ReleaseStatus status) {
    return status.service() + " " + shortSha(status.sha()) + ": " + status.state();
  }

  public static List<LayoutBlock> blocks(ReleaseStatus status) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(header(h -> h.text(plainText(icon(status.state()) + " " + text(status)))));
    blocks.add(
        section(
            s ->
                s.text(
                    markdownText(
                        "*service* "
                            + status.service()
                            + "   *sha* `"
                            + status.sha()
                            + "`"
                            + (status.image() == null
                                ? ""
                                : "\n*digest* `" + status.image().pinned() + "`")
                            + "\n*requested by* "
                            + status.requester()))));
    blocks.add(
        section(
            s ->
                s.text(
                    markdownText(
                        status.stages().stream()
                            .map(ReleaseMessage::stageLine)
                            .collect(Collectors.joining("\n"))))));
    List<String> approvers = status.approvers();
    if (!approvers.isEmpty()) {
      blocks.add(
          context(
              c ->
                  c.elements(
                      List.of(markdownText("approved by " + String.join(", ", approvers))))));
    }
    boolean signedOnly = status.approvalPolicy() != null && status.approvalPolicy().signedOnly();
    if (status.state() == ReleaseState.AWAITING_APPROVAL && signedOnly) {
      // the policy takes SSH-signed approvals only: a click would be refused, so show the command
      blocks.add(
          section(
              s ->
                  s.text(
                      markdownText(
                          "Approvals are SSH-signed here: `release-cli approve "
                              + status.releaseId()
                              + "` (or `reject`)"))));
    } else if (status.state() == ReleaseState.AWAITING_APPROVAL) {
      blocks.add(
          actions(
              a ->
                  a.blockId("approval")
                      .elements(
                          List.of(
                              button(
                                  b ->
                                      b.actionId(APPROVE)
                                          .text(plainText("Approve"))
                                          .style("primary")
                                          .value(status.releaseId())),
                              button(
                                  b ->
                                      b.actionId(REJECT)
                                          .text(plainText("Reject"))
                                          .style("danger")
                                          .value(status.releaseId()))))));
    }
    if (status.failedStage() != null) {
      blocks.add(
          section(
              s ->
                  s.text(
                      markdownText(
                          "*"
                              + status.state()
                              + " at "
                              + status.failedStageLabel()
                              + ":* "
                              + status.reason()))));
    }
    blocks.add(
        context(
            c ->
                c.elements(
                    List.of(markdownText("`release-cli status " + status.releaseId() + "`")))));
    return blocks;
  }

  private static String stageLine(StageStatus stage) {
    String time =
        stage.endedAtMs() == 0 || stage.state() == StageState.SKIPPED
            ? ""
            : String.format(" (%.1fs)", stage.durationMs() / 1000.0);
    String summary = stage.summary() == null ? "" : " — " + stage.summary();
    return stageIcon(stage.state())
        + " *"
        + stage.label()
        + "* "
        + stage.state().name().toLowerCase()
        + time
        + summary;
  }

  private static String icon(ReleaseState state) {
    return switch (state) {
      case SUCCEEDED -> "✅";
      case FAILED, ROLLED_BACK -> "❌";
      case AWAITING_APPROVAL -> "⏸";
      case RUNNING -> "🚀";
      default -> "⛔";
    };
  }

  private static String stageIcon(StageState state) {
    return switch (state) {
      case SUCCEEDED -> ":white_check_mark:";
      case FAILED -> ":x:";
      case RUNNING -> ":arrows_counterclockwise:";
      case SKIPPED -> ":fast_forward:";
      case CANCELLED -> ":no_entry_sign:";
      default -> ":white_circle:";
    };
  }

  private static String shortSha(String sha) {
    return sha == null ? "" : EngineNames.shortSha(sha);
  }
}
