import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const LAUNCHER = fileURLToPath(new URL("../../src/main.mjs", import.meta.url));
/** What a server script writes to stderr once it listens, as `npm start` does. */
const LISTENING = /is running: http:\/\/127\.0\.0\.1:(\d+)\//;

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  /** What it wrote to stderr (its log). */
  log(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` as a child process with `env`; resolves once it listens. */
export function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  return startServerProcess(MAIN, env);
}

/**
 * Exactly `npm start`'s command (`node src/main.mjs`): the compiled build when it is up to date,
 * else the sources.
 */
export function startLaunchedApp(env: Record<string, string>): Promise<AppProcess> {
  return spawnServer([LAUNCHER], LAUNCHER, env);
}

/** A TypeScript server script as a child process; resolves once it says it is running. */
export function startServerProcess(
  script: string,
  env: Record<string, string>,
): Promise<AppProcess> {
  return spawnServer(["--import", "tsx", script], script, env);
}

async function spawnServer(
  args: string[],
  script: string,
  env: Record<string, string>,
): Promise<AppProcess> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString("utf8");
      const match = LISTENING.exec(log);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`${script} exited (${code ?? signal}) before listening:\n${log}`)),
    );
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, log: () => log, exited };
}

/** `npm start` as a child process expected to stop by itself: its exit code and its stderr. */
export function runAppProcessToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stderr })));
}
