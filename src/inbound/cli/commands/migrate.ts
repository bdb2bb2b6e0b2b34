import { migrate } from "../../../db/migrations/migrate.ts";
import { type CliContext, openCliDatabase } from "../context.ts";

export async function migrateCommand(ctx: CliContext): Promise<void> {
  const db = await openCliDatabase(ctx, { migrate: false });
  try {
    const applied = await migrate(db.url, (message) => ctx.out(message));
    ctx.out(
      applied.length === 0
        ? "The database is up to date."
        : `Applied ${applied.length} migration(s).`,
    );
  } finally {
    await db.close();
  }
}
