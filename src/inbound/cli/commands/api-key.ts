import { AppError } from "../../../domain/app-error.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../services/api-keys.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatTable } from "../table.ts";

const USAGE = "leadfit api-key create --name <label> | api-key list | api-key revoke <id>";

function usage(message: string): AppError {
  return new AppError("usage", message, `${message}\nUsage: ${USAGE}`);
}

/** Ingestion API keys: created (shown once, alone on its line), listed, revoked. */
export async function apiKeyCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, id] = args.positionals;
  if (action !== "create" && action !== "list" && action !== "revoke")
    throw usage(`Unknown api-key action "${action ?? ""}".`);
  const label = args.options.name?.trim();
  if (action === "create" && !label) throw usage("Give the key a name: --name <label>.");
  if (action === "revoke" && !id)
    throw usage("Which key? Give its id (see `leadfit api-key list`).");
  await withWorkspace(ctx, args.workspace, async (session) => {
    const { workspace } = session;
    if (action === "create") {
      const { key } = await createApiKey(session, {
        workspaceId: workspace.id,
        label: label ?? "",
        createdBy: "cli",
      });
      // The key alone on stdout, so scripts can capture it; it is never shown again.
      ctx.out(key);
      process.stderr.write(
        `Created API key "${label}" for ${workspace.name}. Store it now: only its hash is kept.\n`,
      );
    } else if (action === "list") {
      const all = await listApiKeys(session, { workspaceId: workspace.id });
      if (all.length === 0) {
        ctx.out("No API keys yet: leadfit api-key create --name <label>");
        return;
      }
      const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");
      ctx.out(
        formatTable(
          ["Id", "Name", "Key starts", "Created", "Last used", "Revoked"],
          all.map((k) => [
            k.id,
            k.label,
            `${k.prefix}…`,
            when(k.createdAt),
            when(k.lastUsedAt),
            when(k.revokedAt),
          ]),
        ),
      );
    } else {
      const revoked = await revokeApiKey(session, {
        workspaceId: workspace.id,
        id: id ?? "",
        revokedBy: "cli",
      });
      if (!revoked) {
        throw new AppError(
          "not_found",
          `no live key ${id}`,
          `No live API key ${id} in ${workspace.name}.`,
        );
      }
      ctx.out(`Revoked API key ${id}.`);
    }
  });
}
