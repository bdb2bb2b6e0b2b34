// Part of `npm run build`: makes the database new embedded folders start from (see
// embedded-template.ts), unless the one there was made by this PGlite with these migrations.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEmbedded } from "./embedded.ts";
import { TEMPLATE_DIR, templateFiles, templateStamp } from "./embedded-template.ts";
import { migrate } from "./migrations/migrate.ts";

const stamp = await templateStamp();
const template = templateFiles();
if ((await readFile(template.stamp, "utf8").catch(() => "")) === stamp) {
  console.log("embedded database template: up to date");
} else {
  const scratch = await mkdtemp(join(tmpdir(), "leadfit-template-"));
  try {
    const embedded = await openEmbedded({
      dataDir: scratch,
      prepare: async (url) => {
        await migrate(url);
      },
    });
    await embedded.close();
    await rm(TEMPLATE_DIR, { recursive: true, force: true });
    await mkdir(TEMPLATE_DIR, { recursive: true });
    await cp(join(scratch, "pgdata"), template.pgdata, { recursive: true });
    await writeFile(template.stamp, stamp);
    console.log("embedded database template: made");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
