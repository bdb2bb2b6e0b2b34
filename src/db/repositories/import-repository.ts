import type pg from "pg";
import type { Db } from "../client-or-transaction.ts";
import type { ImportState, Prisma } from "../generated/client.ts";

export interface ImportRunRow {
  id: string;
  workspaceId: string;
  kind: string;
  state: ImportState;
  rows: number;
  /** Written only by the import service, which parses it. */
  progress: unknown;
}

/** CSV imports: staged rows, and the run that applies them a chunk at a time. */
export class ImportRepository {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
  ) {}

  async start(workspaceId: string, kind: string, leaseUntil: Date): Promise<string> {
    const run = await this.db.importRun.create({
      data: { workspaceId, kind, leaseUntil },
      select: { id: true },
    });
    return run.id;
  }

  /**
   * Stages rows (at least one) in one statement, at positions `first`, `first + 1`, …, and renews
   * the lease. False when the run is no longer staging (another process found it abandoned).
   */
  async stage(
    importId: string,
    first: number,
    inputs: readonly unknown[],
    leaseUntil: Date,
  ): Promise<boolean> {
    const positions = inputs.map((_, i) => first + i);
    const texts = inputs.map((input) => JSON.stringify(input));
    // On the pool rather than through Prisma, whose debug log keeps its last hundred requests'
    // arguments even when off: a staged chunk's thousands of rows would stay in memory.
    const { rowCount } = await this.pool.query(
      `with run as (
         update import_run set "leaseUntil" = $2 where id = $1 and state = 'staging' returning id)
       insert into import_row ("importId", position, input)
       select run.id, v.position, v.input::jsonb
       from run, unnest($3::int[], $4::text[]) as v(position, input)`,
      [importId, leaseUntil, positions, texts],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Every row is staged: from now on the import lands whole. False when it is not staging. */
  async markApplying(importId: string, rows: number, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.db.importRun.updateMany({
      where: { id: importId, state: "staging" },
      data: { state: "applying", rows, leaseUntil },
    });
    return count === 1;
  }

  /**
   * Locks the run for the rest of the caller's transaction, so two processes applying it take
   * turns chunk by chunk.
   */
  async lock(importId: string): Promise<ImportRunRow | undefined> {
    const rows = await this.db.$queryRaw<ImportRunRow[]>`
      select id, "workspaceId", kind, state::text as state, rows, progress
      from import_run where id = ${importId} for update`;
    return rows[0];
  }

  /** Takes the next staged rows, in file order, off the stage (inside the caller's transaction). */
  async takeRows(importId: string, limit: number): Promise<{ position: number; input: unknown }[]> {
    const rows = await this.db.$queryRaw<{ position: number; input: unknown }[]>`
      delete from import_row where "importId" = ${importId} and position in (
        select position from import_row where "importId" = ${importId} order by position limit ${limit})
      returning position, input`;
    return rows.sort((a, b) => a.position - b.position);
  }

  /** Records a chunk as applied: the run's progress and lease move on. */
  async chunkApplied(
    importId: string,
    progress: Prisma.InputJsonValue,
    leaseUntil: Date,
  ): Promise<void> {
    await this.db.importRun.update({ where: { id: importId }, data: { progress, leaseUntil } });
  }

  async finish(importId: string, finishedAt: Date): Promise<void> {
    await this.db.importRun.update({
      where: { id: importId },
      data: { state: "done", finishedAt },
    });
  }

  /**
   * Deletes `limit` of a staging run's rows; when none are left, the run itself. True once it is
   * gone. A bounded delete at a time, like the chunks applied, so discarding holds nobody up.
   */
  async discardSome(importId: string, limit: number): Promise<boolean> {
    const deleted = await this.db.$executeRaw`
      delete from import_row where ("importId", position) in (
        select "importId", position from import_row where "importId" = ${importId} limit ${limit})`;
    if (deleted > 0) return false;
    await this.db.importRun.deleteMany({ where: { id: importId, state: "staging" } });
    return true;
  }

  /**
   * Takes over one unfinished run whose lease ran out before `now` (its importer stopped),
   * leasing it until `leaseUntil`.
   */
  async claimAbandoned(now: Date, leaseUntil: Date): Promise<ImportRunRow | undefined> {
    const claimed = await this.db.$queryRaw<ImportRunRow[]>`
      update import_run set "leaseUntil" = ${leaseUntil}
      where id = (
        select id from import_run
        where state in ('staging', 'applying') and "leaseUntil" < ${now}
        order by "createdAt" limit 1 for update skip locked)
      returning id, "workspaceId", kind, state::text as state, rows, progress`;
    return claimed[0];
  }
}
