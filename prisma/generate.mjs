// Generates the Prisma client without Prisma's binary host. `prisma generate` only checks that a
// schema engine file exists and never runs it, so any existing file satisfies it offline.
//
// It is the package's postinstall, which npm also runs when `npx leadfit` first links the project
// into its cache: generating again then would leave every generated file newer than the compiled
// build, and `npm start` and `leadfit` would compile the sources on every start from then on. So
// it does nothing when the client was already generated from the same schema by the same Prisma.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const schema = new URL("./schema.prisma", import.meta.url);
const generated = new URL("../src/db/generated/", import.meta.url);
const stamp = new URL(".generated-from", generated);
const { version } = require("prisma/package.json");
// This script is an input too: what it does to the generated files may change.
const inputs = createHash("sha256")
  .update(`prisma ${version}\n`)
  .update(readFileSync(schema))
  .update(readFileSync(new URL(import.meta.url)))
  .digest("hex");
const args = process.argv.slice(2);
const generatedFrom = (() => {
  try {
    return readFileSync(stamp, "utf8");
  } catch {
    return "";
  }
})();
if (args.length === 0 && generatedFrom === inputs) {
  console.log("Prisma client already generated from this schema");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= process.execPath;
const result = spawnSync(process.execPath, [cli, "generate", ...args], { env, stdio: "inherit" });
if (result.error) console.error(result.error.message);
if (result.status === 0) importRuntimeAsModule();
if (result.status === 0 && args.length === 0) writeFileSync(stamp, inputs);
process.exit(result.status ?? 1);

/**
 * The generated client imports Prisma's runtime as "@prisma/client/runtime/client", which Node
 * resolves to its CommonJS build; an ES module importing CommonJS has Node scan the whole 200 KB
 * file for the names it exports first, on every start. The runtime's ES module build (client.mjs,
 * the same code) is imported instead.
 */
function importRuntimeAsModule() {
  const files = readdirSync(generated, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".ts"),
  );
  for (const file of files) {
    const path = new URL(file, generated);
    const source = readFileSync(path, "utf8");
    const changed = source.replaceAll(
      'from "@prisma/client/runtime/client"',
      'from "@prisma/client/runtime/client.mjs"',
    );
    if (changed !== source) writeFileSync(path, changed);
  }
}
