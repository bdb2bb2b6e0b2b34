import { renderDigestCharts } from "../charts/render.ts";
import type { Repositories } from "../deps.ts";
import type { IsoWeek } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import { digestMessage, digestThreadInvite } from "../slack/blocks/digest.ts";
import type { SlackGateway } from "../slack/gateway.ts";
import { buildDigest } from "./build-digest.ts";

/**
 * Posts one workspace's digest for a week to a channel: the message, then its charts as the first
 * reply in its thread, with the invitation to discuss and add context.
 */
export async function postDigest(
  repos: Repositories,
  gateway: SlackGateway,
  input: { workspace: Workspace; week: IsoWeek; channelId: string; late?: boolean },
): Promise<{ channel: string; ts: string }> {
  const { digest, noteWeeks } = await buildDigest(repos, {
    workspace: input.workspace,
    week: input.week,
  });
  const charts = await renderDigestCharts(digest, noteWeeks);
  const posted = await gateway.postMessage(
    input.channelId,
    digestMessage({ digest, charts: [], late: input.late }),
  );
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
