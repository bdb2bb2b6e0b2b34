import { inspect } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { EmbeddedServer } from "./embedded-server.ts";

// The embedded database on a thread of its own (started by embedded.ts): PGlite runs each query
// synchronously, and here that blocks only this thread, not the app's event loop answering Slack.

export interface ThreadData {
  pgdata: string;
  host: string;
}

/** What the thread tells its parent: where it listens, or why it could not open the database. */
export type ThreadMessage = { port: number } | { error: string } | { closed: true };

const parent = parentPort;
if (!parent) throw new Error("embedded-thread runs as a worker thread");
const { pgdata, host } = workerData as ThreadData;
// PostgreSQL's default 128 MB of shared buffers is touched in full when the database opens, and
// made up most of the thread's memory; PGlite reads through the operating system's file cache,
// which keeps what the buffers do not.
const SHARED_BUFFERS = "16MB";
try {
  const db = await PGlite.create(pgdata, {
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
  });
  const server = new EmbeddedServer(db);
  parent.postMessage({ port: await server.listen(host) } satisfies ThreadMessage);
  // Any message from the parent asks for a clean close; the thread then has nothing left to run.
  parent.once("message", async () => {
    await server.close();
    await db.close();
    parent.postMessage({ closed: true } satisfies ThreadMessage);
    parent.close();
  });
} catch (error) {
  // PGlite can throw plain objects (WebAssembly aborts): inspect shows what they hold.
  parent.postMessage({ error: inspect(error) } satisfies ThreadMessage);
  parent.close();
}
