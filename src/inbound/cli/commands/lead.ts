import { AppError } from "../../../domain/app-error.ts";
import { deleteLead } from "../../../services/delete-lead.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";

const USAGE = "leadfit lead delete <external id>";

/** `lead delete`: a lead's data removed for good, its card in Slack emptied. */
export async function leadCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, externalId] = args.positionals;
  if (action !== "delete" || !externalId) {
    throw new AppError(
      "usage",
      `lead ${args.positionals.join(" ")}`,
      `${action === "delete" ? "Which lead? Give its external (CRM) id." : `Unknown lead action "${action ?? ""}".`}\nUsage: ${USAGE}`,
    );
  }
  await withWorkspace(ctx, args.workspace, async ({ db, slack, workspace }) => {
    const deleted = await deleteLead(
      { db, gateway: () => slack.gateway(workspace.id) },
      { workspaceId: workspace.id, externalId, actor: "cli" },
    );
    ctx.out(deleted.summary);
    if (!deleted.card) return;
    if (deleted.card.scrubbed) {
      ctx.out(`Its card in channel ${deleted.card.channelId} now says the lead was deleted.`);
      return;
    }
    throw new AppError(
      "card_not_scrubbed",
      `card ${deleted.card.channelId}/${deleted.card.ts}: ${deleted.card.problem}`,
      `Its card could not be emptied (${deleted.card.problem}): delete the message by hand — channel ${deleted.card.channelId}, message ts ${deleted.card.ts}.`,
    );
  });
}
