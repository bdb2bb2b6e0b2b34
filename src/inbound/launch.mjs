// Starts an entry point (`npm start`, the leadfit command) from the compiled build in dist/ when it
// is up to date with the sources, else from the sources through tsx, so it works right after
// `npm ci` and never runs code older than what is in src/. The build (`npm run build`, part of
// `npm run setup`) saves what tsx costs each start: its loader thread, its compiler process and
// the compiling of every module.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";

const SRC = fileURLToPath(new URL("../", import.meta.url));
const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

/** Whether every TypeScript file under `srcDir` has its compiled file in `distDir`, no older than it. */
export function buildIsFresh(srcDir = SRC, distDir = DIST) {
  const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" }).filter(
    (file) => file.endsWith(".ts") && !file.endsWith(".d.ts"),
  );
  if (files.length === 0) return false;
  for (const file of files) {
    const built = statSync(`${distDir}/${file.slice(0, -3)}.js`, { throwIfNoEntry: false });
    if (!built || built.mtimeMs < statSync(`${srcDir}/${file}`).mtimeMs) return false;
  }
  return true;
}

/** The module `entry` (a path under src/ without extension, e.g. "main") is started from. */
export function launchTarget(entry, srcDir = SRC, distDir = DIST) {
  return buildIsFresh(srcDir, distDir)
    ? pathToFileURL(`${distDir}/${entry}.js`).href
    : pathToFileURL(`${srcDir}/${entry}.ts`).href;
}

/**
 * How much a WebAssembly function runs (roughly, bytes of its code executed) before V8 compiles it
 * again with its optimising compiler: a hundred times V8's default. With the default, opening
 * PGlite's PostgreSQL and Prisma's first queries had V8 optimise, on the second core, functions
 * that never run again: a third of `leadfit api-key list`'s CPU time. Hot code still gets there:
 * bench/digest took the same CPU time with either.
 */
const WASM_TIERING_BUDGET = 180_000_000;

export async function launch(entry) {
  // Read when a WebAssembly module is instantiated, so set before any is.
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  const target = launchTarget(entry);
  if (target.endsWith(".ts")) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  await import(target);
}
