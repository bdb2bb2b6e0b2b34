import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Deps } from "../../deps.ts";
import type { IsoWeek } from "../../domain/week.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { renderDigestCharts } from "../../presentation/charts/render.ts";
import { messageToHtml } from "../../presentation/html/digest-page.ts";
import { digestMessage } from "../../presentation/slack/digest.ts";
import { digestThreadInvite } from "../../presentation/slack/digest-thread-invite.ts";
import { buildDigest } from "../../services/build-digest.ts";

/**
 * Writes a week's digest to a folder, as it would be posted: the Block Kit message (digest.json),
 * the chart PNGs, and index.html, a readable page a person can open.
 */
export async function writeDigestPreview(
  { repos }: Pick<Deps, "repos">,
  input: { workspace: Workspace; week: IsoWeek; outDir: string },
): Promise<{ dir: string; files: string[] }> {
  const dir = resolve(input.outDir);
  await mkdir(dir, { recursive: true });
  const { digest, noteWeeks } = await buildDigest(repos, {
    workspace: input.workspace,
    week: input.week,
  });
  const charts = await renderDigestCharts(digest, noteWeeks);
  const message = digestMessage({ digest, charts: [] });
  const invite = digestThreadInvite({
    week: digest.week,
    needsContext: digest.needsContext.length,
  });
  const files = ["digest.json", ...charts.map((c) => c.name), "index.html"];
  await writeFile(
    join(dir, "digest.json"),
    `${JSON.stringify({ message, thread: invite }, null, 2)}\n`,
  );
  for (const chart of charts) await writeFile(join(dir, chart.name), chart.png);
  await writeFile(
    join(dir, "index.html"),
    messageToHtml(
      `Leadfit digest ${digest.week}`,
      message,
      charts.map((c) => ({ src: c.name, alt: c.altText })),
    ),
  );
  return { dir, files };
}
