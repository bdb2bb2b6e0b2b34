import { link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import { copyEmbeddedTemplate } from "./embedded-template.ts";
import type { ThreadData, ThreadMessage } from "./embedded-thread.ts";

// PGlite lets one process open a data folder. That process (the owner) serves it on a loopback
// port and announces the address in the folder; every other leadfit process connects there.

const ANNOUNCEMENT = "server.json";
const OWNER_LOCK = "owner.lock";
const PGDATA = "pgdata";

const announcementSchema = z.object({
  host: z.string(),
  port: z.number().int().positive(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
});
type Announcement = z.infer<typeof announcementSchema>;

export interface EmbeddedDatabase {
  url: string;
  /** True when this process owns the folder and serves it. */
  owner: boolean;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  log?: (message: string) => void;
  /** How long to wait for another process that is starting up as the owner. */
  waitMs?: number;
  /** Runs as owner before the address is announced (migrations), so others never see it half-made. */
  prepare?: (url: string) => Promise<void>;
  /** A new folder starts as a copy of the build's migrated template (default true); false starts it empty. */
  fromTemplate?: boolean;
  /** Called once the thread has started, or when another process serves the folder. */
  started?: () => void;
}

function urlOf(a: Pick<Announcement, "host" | "port">): string {
  return `postgresql://postgres@${a.host}:${a.port}/postgres`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readAnnouncement(dataDir: string): Promise<Announcement | undefined> {
  try {
    const parsed = announcementSchema.safeParse(
      JSON.parse(await readFile(join(dataDir, ANNOUNCEMENT), "utf8")),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The address of a live owner, or undefined when there is none (or its announcement is stale). */
async function liveOwner(dataDir: string): Promise<string | undefined> {
  const announcement = await readAnnouncement(dataDir);
  if (!announcement || announcement.pid === process.pid || !processAlive(announcement.pid)) {
    return undefined;
  }
  const url = urlOf(announcement);
  return (await answers(url)) ? url : undefined;
}

/** Claims the folder for this process; false while a live process holds it. */
export async function takeOwnerLock(dataDir: string): Promise<boolean> {
  const lockPath = join(dataDir, OWNER_LOCK);
  // The lock appears with its holder's pid already in it (written aside, then linked in place,
  // which fails atomically when a lock exists): a lock read while half-written would look stale.
  const written = join(dataDir, `${OWNER_LOCK}.${process.pid}`);
  await writeFile(written, String(process.pid));
  try {
    await link(written, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(written, { force: true });
  }
  const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
  if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) return false;
  // The previous owner died without cleaning up: its lock is stale.
  await rm(lockPath, { force: true });
  return takeOwnerLock(dataDir);
}

// Compiled, this module is embedded.js beside embedded-thread.js; from the sources, the thread needs
// the loader its .mjs starter registers.
const THREAD = new URL(
  import.meta.url.endsWith(".js") ? "./embedded-thread.js" : "./embedded-thread.mjs",
  import.meta.url,
);

/** Starts the embedded database's thread; resolves once it listens on `host`. */
async function startThread(
  pgdata: string,
  host: string,
  onStart: () => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const worker = new Worker(THREAD, { workerData: { pgdata, host } satisfies ThreadData });
  onStart();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const next = () =>
    new Promise<ThreadMessage>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      void exited.then(() => reject(new Error("the embedded database's thread stopped")));
    });
  const started = await next();
  if (!("port" in started)) {
    await exited;
    throw new Error("error" in started ? started.error : "the embedded database did not start");
  }
  return {
    port: started.port,
    async close() {
      const closed = next();
      worker.postMessage("close");
      await closed;
      await exited;
    },
  };
}

async function serve({
  dataDir,
  log,
  prepare,
  fromTemplate,
  started,
}: Required<Omit<EmbeddedOptions, "waitMs">>): Promise<EmbeddedDatabase> {
  const host = "127.0.0.1";
  const pgdata = join(dataDir, PGDATA);
  if (fromTemplate && (await copyEmbeddedTemplate(pgdata)))
    log(`new embedded database in ${dataDir}, from the template`);
  const thread = await startThread(pgdata, host, started);
  const announcement: Announcement = {
    host,
    port: thread.port,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  try {
    await prepare(urlOf(announcement));
  } catch (error) {
    await thread.close();
    throw error;
  }
  const tmp = join(dataDir, `${ANNOUNCEMENT}.${process.pid}`);
  await writeFile(tmp, JSON.stringify(announcement));
  await rename(tmp, join(dataDir, ANNOUNCEMENT));
  log(`embedded database in ${dataDir}, served on ${host}:${thread.port}`);
  let closed = false;
  return {
    url: urlOf(announcement),
    owner: true,
    async close() {
      if (closed) return;
      closed = true;
      await thread.close();
      const current = await readAnnouncement(dataDir);
      if (current?.pid === process.pid) await rm(join(dataDir, ANNOUNCEMENT), { force: true });
      await rm(join(dataDir, OWNER_LOCK), { force: true });
    },
  };
}

/**
 * Opens the embedded PostgreSQL in `dataDir`: connects to the process that serves it, or becomes
 * that process when there is none.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const {
    dataDir,
    log = () => {},
    waitMs = 60_000,
    prepare = async () => {},
    fromTemplate = true,
    started = () => {},
  } = options;
  await mkdir(dataDir, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    const url = await liveOwner(dataDir);
    if (url) {
      log(`embedded database in ${dataDir} is served by another leadfit process; connecting`);
      started();
      return { url, owner: false, close: async () => {} };
    }
    if (await takeOwnerLock(dataDir)) {
      try {
        return await serve({ dataDir, log, prepare, fromTemplate, started });
      } catch (error) {
        await rm(join(dataDir, OWNER_LOCK), { force: true });
        if (error instanceof AppError) throw error;
        throw new AppError(
          "embedded_database_failed",
          `could not open the embedded database in ${dataDir}: ${String(error)}`,
          `The embedded database in ${dataDir} could not be opened. Is the folder writable?`,
          { cause: error },
        );
      }
    }
    // Another process holds the lock and is still starting: wait for its announcement.
    if (Date.now() > deadline) {
      throw new AppError(
        "embedded_database_busy",
        `timed out waiting for the owner of ${dataDir}`,
        `Another leadfit process is opening ${dataDir} and did not finish in time. Try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
