import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { databaseUrl } from "./database.ts";

/** The `leadfit` command line, as `npx leadfit` starts it. */
export const LEADFIT_BIN = fileURLToPath(
  new URL("../../src/inbound/cli/leadfit.mjs", import.meta.url),
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `leadfit <args>` in a process of its own on the test database, with no environment but
 * PATH, DATABASE_URL and `env`, and waits for it.
 */
export function runLeadfit(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): CliResult {
  const result = spawnSync(process.execPath, [LEADFIT_BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * As runLeadfit, without blocking this process: for commands that call a fake served from the
 * test's own process (a fake CRM), which must go on answering while the command runs.
 */
export function runLeadfitAside(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LEADFIT_BIN, ...args],
      {
        env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, ...options.env },
        encoding: "utf8",
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
