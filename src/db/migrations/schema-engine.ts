import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type pg from "pg";

const require = createRequire(import.meta.url);

// Node has WebAssembly; @types/node for Node 20 does not declare it.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};
let initialised: Promise<void> | undefined;

// The package is wasm-bindgen "bundler" output; Node 20 cannot import .wasm modules without a
// flag, so the module is instantiated here and handed to its JavaScript glue.
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    // The .wasm file is not in the package's exports; it sits beside the exported glue.
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(join(dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return initialised;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/** A Prisma schema engine that talks to PostgreSQL through the `pg` driver adapter. */
// The engine connects when it starts, even for the diffs that never read the database.
export async function openSchemaEngine(
  pool: pg.Pool,
  datamodel: SchemaFile,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await initialiseWasm();
  const adapter = new PrismaPg(pool);
  return bindings.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
