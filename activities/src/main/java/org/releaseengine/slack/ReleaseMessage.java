package org.releaseengine.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import java.util.ArrayList;
import java.util.List;
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

  /** The message's own text (mrkdwn: what notifications and screen readers show). */
  public static String text(ReleaseStatus status) {
    return Mrkdwn.of("{}", title(status)).text();
  }

  /**
   * Text the commit or a person controls goes into mrkdwn only through {@link Mrkdwn}. The header
   * is plain_text, which Slack shows as written (it parses no mention, link or formatting in it).
   */
  public static List<LayoutBlock> blocks(ReleaseStatus status) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(header(h -> h.text(plainText(icon(status.state()) + " " + title(status)))));
    blocks.add(about(status));
    blocks.add(
        section(
            s ->
                s.text(
                    Mrkdwn.lines(status.stages().stream().map(ReleaseMessage::stageLine).toList())
                        .object())));
    List<String> approvers = status.approvers();
    if (!approvers.isEmpty()) {
      blocks.add(
          context(
              c ->
                  c.elements(
                      List.of(
                          Mrkdwn.of("approved by {}", String.join(", ", approvers)).object()))));
    }
    if (status.state() == ReleaseState.AWAITING_APPROVAL) {
      blocks.add(approval(status));
    }
    if (status.failedStage() != null) {
      blocks.add(
          section(
              s ->
                  s.text(
                      Mrkdwn.of(
                              "*{} at {}:* {}",
                              status.state(),
                              status.failedStageLabel(),
                              status.reason())
                          .object())));
    }
    blocks.add(
        context(
            c ->
                c.elements(
                    List.of(Mrkdwn.of("`release-cli status {}`", status.releaseId()).object()))));
    return blocks;
  }

  /** Which release this is: service, sha, digest once built, and who asked for it. */
  private static LayoutBlock about(ReleaseStatus status) {
    List<Mrkdwn> about = new ArrayList<>();
    about.add(Mrkdwn.of("*service* {}   *sha* `{}`", status.service(), status.sha()));
    if (status.image() != null) {
      about.add(Mrkdwn.of("*digest* `{}`", status.image().pinned()));
    }
    about.add(Mrkdwn.of("*requested by* {}", status.requester()));
    return section(s -> s.text(Mrkdwn.lines(about).object()));
  }

  /**
   * How to decide on a release that waits for approval: the Approve and Reject buttons, or the
   * command where the policy takes SSH-signed approvals only.
   */
  private static LayoutBlock approval(ReleaseStatus status) {
    boolean signedOnly = status.approvalPolicy() != null && status.approvalPolicy().signedOnly();
    if (signedOnly) {
      // the policy takes SSH-signed approvals only: a click would be refused, so show the command
      return section(
          s ->
              s.text(
                  Mrkdwn.of(
                          "Approvals are SSH-signed here: `release-cli approve {}` (or `reject`)",
                          status.releaseId())
                      .object()));
    }
    return actions(
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
                                    .value(status.releaseId())))));
  }

  /** What the release is, as plain text: service, short sha, state. */
  private static String title(ReleaseStatus status) {
    return status.service() + " " + shortSha(status.sha()) + ": " + status.state();
  }

  private static Mrkdwn stageLine(StageStatus stage) {
    String time =
        stage.endedAtMs() == 0 || stage.state() == StageState.SKIPPED
            ? ""
            : String.format(" (%.1fs)", stage.durationMs() / 1000.0);
    String line = stageIcon(stage.state()) + " *{}* {}" + time;
    String state = stage.state().name().toLowerCase();
    return stage.summary() == null
        ? Mrkdwn.of(line, stage.label(), state)
        : Mrkdwn.of(line + " — {}", stage.label(), state, stage.summary());
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
