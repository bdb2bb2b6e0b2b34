import { migrate } from "../../../db/migrations/migrate.ts";
import { type CliContext, withDatabase } from "../context.ts";

export async function migrateCommand(ctx: CliContext): Promise<void> {
  await withDatabase(
    ctx,
    async (db) => {
      const applied = await migrate(db.url, (message) => ctx.out(message));
      ctx.out(
        applied.length === 0
          ? "The database is up to date."
          : `Applied ${applied.length} migration(s).`,
      );
    },
    { migrate: false },
  );
}
