import { AppError } from "../../../domain/app-error.ts";
import {
  addCampaignAlias,
  listCampaignAliases,
  removeCampaignAlias,
} from "../../../services/campaign-aliases.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatTable } from "../table.ts";

const USAGE =
  'leadfit campaign alias add "<name a platform or CRM uses>" <campaign key> | leadfit campaign alias remove "<name>" | leadfit campaign alias list';

/** `campaign alias add|remove|list`: the names platforms and CRMs give a campaign, mapped to its key. */
export async function campaignCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [what, action, name, key] = args.positionals;
  if (what !== "alias" || (action !== "add" && action !== "remove" && action !== "list")) {
    const message = `Unknown campaign command "${args.positionals.join(" ")}".\nUsage: ${USAGE}`;
    throw new AppError("usage", message, message);
  }
  if (action === "add" && (!name || !key)) {
    const message = `Give the name and the campaign key.\nUsage: ${USAGE}`;
    throw new AppError("usage", message, message);
  }
  if (action === "remove" && !name) {
    const message = `Give the name to remove.\nUsage: ${USAGE}`;
    throw new AppError("usage", message, message);
  }
  await withWorkspace(ctx, args.workspace, async ({ repos, workspace }) => {
    if (action === "remove" && name) {
      await removeCampaignAlias({ repos }, { workspaceId: workspace.id, name, actor: "cli" });
      ctx.out(`"${name.trim()}" no longer files under a campaign.`);
      return;
    }
    if (action === "add" && name && key) {
      const alias = await addCampaignAlias(
        { repos },
        {
          workspaceId: workspace.id,
          name,
          campaignKey: key,
          actor: "cli",
          newCampaign: "create",
        },
      );
      ctx.out(`"${alias.name}" now files under campaign ${alias.campaignKey}.`);
      return;
    }
    const aliases = await listCampaignAliases({ repos }, { workspaceId: workspace.id });
    if (aliases.length === 0) {
      ctx.out(`No campaign aliases yet. Add one: ${USAGE.split(" | ")[0]}`);
      return;
    }
    ctx.out(
      formatTable(
        ["Name", "Campaign"],
        aliases.map((a) => [a.name, a.campaignKey]),
      ),
    );
  });
}
