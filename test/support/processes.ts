import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("../fixtures/open-database.ts", import.meta.url));

export interface OpenedReport {
  pid: number;
  owner: boolean;
  applied: string[];
  tables: number;
}

export interface DatabaseProcess {
  child: ChildProcess;
  /** What the process reported once the database was open. */
  report: Promise<OpenedReport>;
  /** Asks it to close the database and exit. */
  stop(): Promise<void>;
}

/**
 * Another leadfit process opening `target` (a PostgreSQL URL or an embedded data folder); `empty`
 * starts a new embedded folder without the build's migrated template.
 */
export function startDatabaseProcess(
  target: string,
  start: "template" | "empty" = "template",
): DatabaseProcess {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, target, start], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const report = new Promise<OpenedReport>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve(JSON.parse(line) as OpenedReport));
    child.once("exit", (code) =>
      reject(new Error(`database process exited with ${code} before reporting`)),
    );
  });
  return {
    child,
    report,
    async stop() {
      child.stdin?.end();
      await exited;
    },
  };
}
