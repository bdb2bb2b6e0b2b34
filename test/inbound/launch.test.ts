import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildIsFresh, launchTarget } from "../../src/inbound/launch.mjs";

describe("the launcher of npm start and leadfit", () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** A project with sources and a build, each file written at the given time (seconds). */
  async function project(files: Record<string, number>): Promise<{ src: string; dist: string }> {
    const root = await mkdtemp(join(tmpdir(), "leadfit-launch-"));
    folders.push(root);
    for (const [path, seconds] of Object.entries(files)) {
      const file = join(root, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, "");
      await utimes(file, seconds, seconds);
    }
    return { src: join(root, "src"), dist: join(root, "dist") };
  }

  it("starts the build when every source has its compiled file, no older than it", async () => {
    const { src, dist } = await project({
      "src/main.ts": 100,
      "src/db/db.ts": 100,
      "src/main.mjs": 300,
      "dist/main.js": 200,
      "dist/db/db.js": 200,
    });
    expect(buildIsFresh(src, dist)).toBe(true);
    expect(launchTarget("main", src, dist)).toBe(pathToFileURL(join(dist, "main.js")).href);
  });

  it("starts the sources when one changed after the build", async () => {
    const { src, dist } = await project({
      "src/main.ts": 100,
      "src/db/db.ts": 300,
      "dist/main.js": 200,
      "dist/db/db.js": 200,
    });
    expect(buildIsFresh(src, dist)).toBe(false);
    expect(launchTarget("main", src, dist)).toBe(pathToFileURL(join(src, "main.ts")).href);
  });

  it("starts the sources when one was added after the build, or there is no build", async () => {
    const added = await project({ "src/main.ts": 100, "src/new.ts": 100, "dist/main.js": 200 });
    expect(buildIsFresh(added.src, added.dist)).toBe(false);
    const unbuilt = await project({ "src/main.ts": 100 });
    expect(buildIsFresh(unbuilt.src, unbuilt.dist)).toBe(false);
    expect(launchTarget("main", unbuilt.src, unbuilt.dist)).toBe(
      pathToFileURL(join(unbuilt.src, "main.ts")).href,
    );
  });
});
