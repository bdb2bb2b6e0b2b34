import { migrate } from "../../../db/migrations/migrate.ts";
import { type CliContext, withDeps } from "../context.ts";

export async function migrateCommand(ctx: CliContext): Promise<void> {
  // Its database is opened without migrating (see the command's registration in main.ts).
  await withDeps(ctx, async ({ db }) => {
    const applied = await migrate(db.url, (message) => ctx.out(message));
    ctx.out(
      applied.length === 0
        ? "The database is up to date."
        : `Applied ${applied.length} migration(s).`,
    );
  });
}
