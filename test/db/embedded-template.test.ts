import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  copyEmbeddedTemplate,
  pgliteVersion,
  templateFiles,
} from "../../src/db/embedded-template.ts";

// The copy's rules on stand-in files; bench/footprint starts the app on a real template.
describe("a new embedded folder from the template", () => {
  let root: string;
  let template: { pgdata: string; stamp: string };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "leadfit-template-test-"));
    template = templateFiles(join(root, "template"));
    await mkdir(join(template.pgdata, "base"), { recursive: true });
    await writeFile(join(template.pgdata, "PG_VERSION"), "17\n");
    await writeFile(join(template.pgdata, "base", "1"), "catalog");
    await writeFile(template.stamp, `${await pgliteVersion()}\n20261122235635_init`);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("starts as a copy of it, with nothing left aside", async () => {
    const pgdata = join(root, "data", "pgdata");
    await mkdir(join(root, "data"));
    expect(await copyEmbeddedTemplate(pgdata, template)).toBe(true);
    expect(await readFile(join(pgdata, "base", "1"), "utf8")).toBe("catalog");
    expect(await readdir(join(root, "data"))).toEqual(["pgdata"]);
  });

  it("leaves a folder that already has a database alone", async () => {
    const pgdata = join(root, "pgdata");
    await mkdir(pgdata);
    await writeFile(join(pgdata, "PG_VERSION"), "17\n");
    expect(await copyEmbeddedTemplate(pgdata, template)).toBe(false);
    expect(await readdir(pgdata)).toEqual(["PG_VERSION"]);
  });

  it("is not used when another PGlite made it, or when there is none", async () => {
    await writeFile(template.stamp, "pglite 0.0.1\n20261122235635_init");
    expect(await copyEmbeddedTemplate(join(root, "a"), template)).toBe(false);
    expect(await copyEmbeddedTemplate(join(root, "b"), templateFiles(join(root, "none")))).toBe(
      false,
    );
    expect(await readdir(root)).toEqual(["template"]);
  });
});
