import type { Repositories } from "../db/repositories/index.ts";
import type { IsoWeek } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import type { MessageMetadata, SlackGateway } from "../outbound/slack/gateway.ts";
import { digestMessage } from "../presentation/slack/digest.ts";
import { digestThreadInvite } from "../presentation/slack/digest-thread-invite.ts";
import { reportMessage } from "../presentation/slack/report.ts";
import { buildDigest } from "./build-digest.ts";

/**
 * Posts one workspace's digest for a week to a channel (or, with `report`, a campaign report): the
 * message, then its charts as the first reply in its thread, with the invitation to discuss and
 * add context.
 */
export async function postDigest(
  { repos, gateway }: { repos: Repositories; gateway: SlackGateway },
  input: {
    workspace: Workspace;
    week: IsoWeek;
    channelId: string;
    late?: boolean;
    report?: { campaignKey: string | null };
    /**
     * Posts it once (`SlackGateway.postOnce`): marked, so a post cut short is found in the channel
     * instead of doubled.
     */
    once?: { marker: MessageMetadata; since: Date; lookFirst: boolean };
  },
): Promise<{ channel: string; ts: string }> {
  // The chart renderer (canvas, Chart.js) is loaded by the first digest, not at start-up (a
  // process may run for days without rendering one), while the digest's queries run.
  const [{ digest, noteWeeks }, { renderDigestCharts }] = await Promise.all([
    buildDigest(
      { repos },
      {
        workspace: input.workspace,
        week: input.week,
        campaignKey: input.report?.campaignKey ?? null,
      },
    ),
    import("../presentation/charts/render.ts"),
  ]);
  const charts = await renderDigestCharts(digest, noteWeeks);
  const message = input.report
    ? reportMessage({ digest, ephemeral: false })
    : digestMessage({ digest, charts: [], late: input.late });
  const posted = input.once
    ? await gateway.postOnce(input.channelId, message, input.once.marker, input.once)
    : await gateway.postMessage(input.channelId, message);
  const invite = digestThreadInvite({
    week: digest.week,
    needsContext: digest.needsContext.length,
  });
  await gateway.uploadToThread(
    posted.channel,
    posted.ts,
    invite.text,
    charts.map((c) => ({ filename: c.name, title: c.title, altText: c.altText, bytes: c.png })),
  );
  return posted;
}
