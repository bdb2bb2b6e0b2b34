import type { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { metricDefinitionSchema } from "../../../domain/metrics.ts";
import { reasonSchema } from "../../../domain/taxonomy.ts";
import { defineMetrics, listMetrics, retireMetric } from "../../../services/metric-catalogue.ts";
import { defineReasons, listReasons, retireReason } from "../../../services/reason-catalogue.ts";
import { type CliContext, type CommandArgs, withWorkspace } from "../context.ts";
import { formatTable } from "../table.ts";

const METRIC_USAGE =
  "leadfit metric list | metric define <key> --label <text> --unit count|currency|percent|score --stage <stage> --goal find|keep|grow --direction higher|lower --aggregation sum|average|last [--owner <Slack user id>] | metric rename <key> --label <text> | metric retire <key>";
const REASON_USAGE =
  "leadfit reason list | reason add <key> --label <text> --owner marketing|data|need|sales_process | reason rename <key> --label <text> | reason retire <key>";

function refused(usage: string, message: string): AppError {
  return new AppError("usage", message, `${message}\nUsage: ${usage}`);
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, usage: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `--${String(i.path[0] ?? "value")}: ${i.message}`,
  );
  throw refused(usage, problems.join("\n"));
}

/** The metric catalogue: list, define (add or change), rename, retire (old values are kept). */
export async function metricCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, key] = args.positionals;
  if (!["list", "define", "rename", "retire"].includes(action ?? ""))
    throw refused(METRIC_USAGE, `Unknown metric action "${action ?? ""}".`);
  if (action !== "list" && !key) throw refused(METRIC_USAGE, "Which metric? Give its key.");
  await withWorkspace(ctx, args.workspace, async ({ db, repos, workspace }) => {
    const existing = await listMetrics({ repos }, { workspaceId: workspace.id });
    if (action === "list") {
      ctx.out(
        formatTable(
          ["Key", "Label", "Unit", "Stage", "Goal", "Better", "Week", "Owner"],
          existing.map((m) => [
            m.key,
            m.label,
            m.unit,
            m.stage,
            m.goal,
            m.direction,
            m.aggregation,
            m.owner ?? "—",
          ]),
        ),
      );
      return;
    }
    if (action === "retire") {
      await retireMetric({ repos }, { workspaceId: workspace.id, key: key ?? "", at: ctx.now() });
      ctx.out(`Retired ${key}: it takes no new values; its history stays.`);
      return;
    }
    const current = existing.find((m) => m.key === key);
    if (action === "rename" && !current)
      throw new AppError("not_found", `no metric ${key}`, `No active metric ${key}.`);
    const o = args.options;
    const definition = parsed(
      metricDefinitionSchema,
      {
        ...current,
        key,
        ...(o.label ? { label: o.label } : {}),
        ...(action === "define"
          ? {
              unit: o.unit ?? current?.unit,
              stage: o.stage ?? current?.stage,
              goal: o.goal ?? current?.goal,
              direction: o.direction ?? current?.direction,
              aggregation: o.aggregation ?? current?.aggregation,
              owner: o.owner ?? current?.owner ?? null,
            }
          : {}),
      },
      METRIC_USAGE,
    );
    const counts = await defineMetrics(
      { db },
      {
        workspaceId: workspace.id,
        definitions: [definition],
      },
    );
    ctx.out(
      counts.created
        ? `Defined ${key}.`
        : counts.updated
          ? `Updated ${key}.`
          : `${key} already reads like that.`,
    );
  });
}

/** The reason taxonomy: list, add, rename, retire (retired reasons stay on old verdicts). */
export async function reasonCommand(ctx: CliContext, args: CommandArgs): Promise<void> {
  const [action, key] = args.positionals;
  if (!["list", "add", "rename", "retire"].includes(action ?? ""))
    throw refused(REASON_USAGE, `Unknown reason action "${action ?? ""}".`);
  if (action !== "list" && !key) throw refused(REASON_USAGE, "Which reason? Give its key.");
  await withWorkspace(ctx, args.workspace, async ({ db, repos, workspace }) => {
    const all = await listReasons({ repos }, { workspaceId: workspace.id });
    if (action === "list") {
      ctx.out(
        formatTable(
          ["Key", "Label", "Who can act"],
          all.map((r) => [r.key, r.label, r.owner]),
        ),
      );
      return;
    }
    if (action === "retire") {
      await retireReason({ repos }, { workspaceId: workspace.id, key: key ?? "", at: ctx.now() });
      ctx.out(`Retired ${key}: no longer offered; verdicts that used it keep it.`);
      return;
    }
    const current = all.find((r) => r.key === key);
    if (action === "rename" && !current)
      throw new AppError("not_found", `no reason ${key}`, `No active reason ${key}.`);
    const reason = parsed(
      reasonSchema,
      {
        key,
        label: args.options.label ?? current?.label,
        owner: args.options.owner ?? current?.owner,
      },
      REASON_USAGE,
    );
    const counts = await defineReasons({ db }, { workspaceId: workspace.id, reasons: [reason] });
    ctx.out(
      counts.created
        ? `Added ${key}.`
        : counts.updated
          ? `Updated ${key}.`
          : `${key} already reads like that.`,
    );
  });
}
