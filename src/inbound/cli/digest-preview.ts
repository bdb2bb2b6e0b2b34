import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Deps } from "../../deps.ts";
import type { IsoWeek } from "../../domain/week.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { digestPreviewFiles } from "../../services/digest-preview-files.ts";

/** Writes a week's digest preview (digest.json, the charts, index.html) to a folder. */
export async function writeDigestPreview(
  { repos }: Pick<Deps, "repos">,
  input: { workspace: Workspace; week: IsoWeek; outDir: string },
): Promise<{ dir: string; files: string[] }> {
  const dir = resolve(input.outDir);
  await mkdir(dir, { recursive: true });
  const files = await digestPreviewFiles({ repos }, input);
  for (const file of files) await writeFile(join(dir, file.name), file.content);
  return { dir, files: files.map((file) => file.name) };
}
