import { AppError } from "../../../domain/app-error.ts";
import { lastCompleteWeek, parseIsoWeek } from "../../../domain/week.ts";
import { workspaceTimezone } from "../../../domain/workspace.ts";
import { postDigest } from "../../../services/post-digest.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { writeDigestPreview } from "../digest-preview.ts";

const USAGE =
  "leadfit digest preview [--week 2026-W47] [--out <dir>] | digest send --channel <channel id> [--week 2026-W47]";

/** `digest preview` writes the digest to a folder; `digest send` posts it (it claims no scheduled run). */
export async function digestCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action] = args.positionals;
  if (action !== "preview" && action !== "send") {
    throw new AppError(
      "usage",
      `digest ${action ?? ""}`,
      `Unknown digest action "${action ?? ""}".\nUsage: ${USAGE}`,
    );
  }
  const channel = args.options.channel?.trim();
  if (action === "send" && !channel)
    throw new AppError(
      "usage",
      "no channel",
      `Which channel? --channel <channel id>\nUsage: ${USAGE}`,
    );
  await withWorkspace(ctx, args.workspace, async ({ repos, slack, workspace }) => {
    const week = args.options.week
      ? parseIsoWeek(args.options.week)
      : lastCompleteWeek(ctx.now(), workspaceTimezone(workspace));
    if (action === "preview") {
      const { dir, files } = await writeDigestPreview(
        { repos },
        {
          workspace,
          week,
          outDir: args.options.out ?? "digest-preview",
        },
      );
      ctx.out(
        `Digest for ${args.options.week ?? "the last complete week"} written to ${dir}: ${files.join(", ")}`,
      );
      ctx.out(`Open ${dir}/index.html to read it.`);
      return;
    }
    const gateway = await slack.gateway(workspace.id);
    const posted = await postDigest(
      { repos, gateway },
      { workspace, week, channelId: channel ?? "" },
    );
    ctx.out(`Posted the digest to ${posted.channel} (message ${posted.ts}).`);
  });
}
