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
try {
  const db = await PGlite.create(pgdata);
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
