import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openEmbedded } from "../src/db/embedded.ts";
import { migrate } from "../src/db/migrations/migrate.ts";

export const SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  kind: "embedded" | "server";
  url: string;
  close(): Promise<void>;
}

/** A fresh, migrated database of each kind asked for: the embedded one and/or the server. */
export async function benchDatabase(kind: "embedded" | "server"): Promise<BenchDatabase> {
  if (kind === "server") {
    const name = `leadfit_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    return {
      kind,
      url: url.toString(),
      async close() {
        const drop = new pg.Client({ connectionString: SERVER_URL });
        await drop.connect();
        await drop.query(`drop database if exists ${name} with (force)`);
        await drop.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "leadfit-bench-"));
  const embedded = await openEmbedded({
    dataDir: dir,
    prepare: (url) => migrate(url).then(() => {}),
  });
  return {
    kind,
    url: embedded.url,
    async close() {
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function kinds(argument: string | undefined): ("embedded" | "server")[] {
  if (argument === "embedded" || argument === "server") return [argument];
  return ["embedded", "server"];
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
