import type { Repositories } from "../db/repositories/index.ts";
import type { IsoWeek } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import { renderDigestCharts } from "../presentation/charts/render.ts";
import { messageToHtml } from "../presentation/html/digest-page.ts";
import { digestMessage } from "../presentation/slack/digest.ts";
import { digestThreadInvite } from "../presentation/slack/digest-thread-invite.ts";
import { buildDigest } from "./build-digest.ts";

export interface PreviewFile {
  name: string;
  content: string | Uint8Array;
}

/**
 * A week's digest as it would be posted, as files: the Block Kit message and its thread's
 * invitation (digest.json), the chart PNGs, and index.html, a readable page a person can open.
 */
export async function digestPreviewFiles(
  deps: { repos: Repositories },
  input: { workspace: Workspace; week: IsoWeek },
): Promise<PreviewFile[]> {
  const { digest, noteWeeks } = await buildDigest(deps, input);
  const charts = await renderDigestCharts(digest, noteWeeks);
  const message = digestMessage({ digest, charts: [] });
  const invite = digestThreadInvite({
    week: digest.week,
    needsContext: digest.needsContext.length,
  });
  return [
    {
      name: "digest.json",
      content: `${JSON.stringify({ message, thread: invite }, null, 2)}\n`,
    },
    ...charts.map((chart) => ({ name: chart.name, content: chart.png })),
    {
      name: "index.html",
      content: messageToHtml(
        `Leadfit digest ${digest.week}`,
        message,
        charts.map((c) => ({ src: c.name, alt: c.altText })),
      ),
    },
  ];
}
