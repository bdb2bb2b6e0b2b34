import { type Repositories, type RepositorySource, transaction } from "../db/repositories/index.ts";
import { type AgreedDefinition, checkLead } from "../domain/agreed-definition.ts";
import type { DefinitionBacktest } from "../domain/definition-backtest.ts";
import type { DefinitionCheck } from "../domain/lead.ts";
import { dateInZone } from "../domain/week.ts";
import type { Workspace } from "../domain/workspace.ts";
import { backtestDefinition } from "./backtest-definition.ts";
import { DEMO_PEOPLE, type DemoData, generateDemoData } from "./demo/demo-data.ts";

export interface SeedDemoDeps {
  db: RepositorySource;
  repos: Repositories;
  now: () => Date;
}

export interface SeedDemoOptions {
  workspaceId: string;
  workspaceName: string;
  /** Used when the workspace has no timezone yet. */
  timeZone: string;
  onProgress?: (message: string) => void;
}

export interface SeedDemoResult {
  workspace: Workspace;
  /** Sales' pending change to the agreed definition, tried on the last 180 days' leads. */
  proposal: { definition: AgreedDefinition; backtest: DefinitionBacktest };
  campaigns: number;
  leads: number;
  verdicts: number;
  outcomes: number;
  metricValues: number;
  notes: number;
}

/** Everything the demo writes is marked so a second run replaces it instead of adding to it. */
export const DEMO_SOURCE = "demo";
const DEMO_LEAD_PREFIX = "demo-";

/**
 * Seeds a realistic quarter into a workspace, relative to today. Idempotent: the demo's own rows
 * are replaced in one transaction, so running it twice doubles nothing and a failure leaves the
 * previous demo intact.
 */
export async function seedDemo(
  deps: SeedDemoDeps,
  input: SeedDemoOptions,
): Promise<SeedDemoResult> {
  const progress = input.onProgress ?? (() => {});
  const { workspaces, agreedDefinitions } = deps.repos;
  let workspace = await workspaces.ensure(input.workspaceId, input.workspaceName);
  if (!workspace.timezone) await workspaces.setTimezone(workspace.id, input.timeZone);
  const timeZone = workspace.timezone ?? input.timeZone;
  const data = generateDemoData({ today: dateInZone(deps.now(), timeZone), timeZone });

  progress("definition");
  const active =
    (await agreedDefinitions.active(workspace.id)) ??
    (await agreedDefinitions
      .propose(workspace.id, data.definition, DEMO_PEOPLE.marketingLead)
      .then((proposed) =>
        agreedDefinitions.accept(
          workspace.id,
          proposed.version,
          DEMO_PEOPLE.salesLead,
          data.definitionAcceptedAt,
        ),
      ));
  const check = (lead: DemoData["leads"][number]) => checkLead(active, lead);

  await transaction(
    deps.db,
    async (repos) => {
      progress("campaigns");
      const { campaigns } = repos;
      for (const campaign of data.campaigns) await campaigns.upsert(workspace.id, campaign);
      const campaignIds = await campaigns.ensureKeys(
        workspace.id,
        data.campaigns.map((c) => c.key),
      );

      progress("metrics");
      await repos.metrics.deleteValuesFrom(workspace.id, DEMO_SOURCE);
      await repos.metrics.upsertValues(
        workspace.id,
        data.metricValues.map((v) => ({ ...v, granularity: "week", source: DEMO_SOURCE })),
      );

      progress("leads");
      const leadIds = await replaceLeads(repos, workspace.id, data, campaignIds, check);

      progress("outcomes");
      await repos.outcomes.upsert(
        workspace.id,
        data.outcomes.map((o) => ({
          externalId: o.externalId,
          leadId: leadIds.get(o.lead) ?? "",
          type: o.type,
          at: o.at,
          amount: o.amount,
        })),
      );

      progress("context notes");
      await repos.contextNotes.deleteByAuthors(workspace.id, [
        DEMO_PEOPLE.marketingLead,
        DEMO_PEOPLE.salesLead,
      ]);
      for (const note of data.notes) {
        await repos.contextNotes.add(workspace.id, {
          week: note.week,
          text: note.text,
          author: note.author,
          campaignId: note.campaignKey ? (campaignIds.get(note.campaignKey) ?? null) : null,
          metricId: note.metricKey
            ? ((await repos.metrics.definitionId(workspace.id, note.metricKey)) ?? null)
            : null,
        });
      }
    },
    { timeout: 120_000 },
  );

  progress("proposal");
  const proposal =
    (await agreedDefinitions.history(workspace.id)).find((d) => d.state === "proposed") ??
    (await agreedDefinitions.propose(workspace.id, data.proposedDefinition, DEMO_PEOPLE.salesLead));
  const backtest = await backtestDefinition(deps, {
    workspaceId: workspace.id,
    active: active?.rules,
    proposed: proposal.rules,
    now: deps.now(),
  });

  progress("settings");
  await workspaces.setTrackedMetrics(
    workspace.id,
    { northStar: data.northStar, kpis: data.kpis },
    "demo",
  );
  workspace = (await workspaces.get(workspace.id)) ?? workspace;
  return {
    workspace,
    proposal: { definition: proposal, backtest },
    campaigns: data.campaigns.length,
    leads: data.leads.length,
    verdicts: data.verdicts.length,
    outcomes: data.outcomes.length,
    metricValues: data.metricValues.length,
    notes: data.notes.length,
  };
}

async function replaceLeads(
  repos: Repositories,
  workspaceId: string,
  data: DemoData,
  campaignIds: Map<string, string>,
  check: (lead: DemoData["leads"][number]) => DefinitionCheck,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await repos.leads.deleteByExternalIdPrefix(workspaceId, DEMO_LEAD_PREFIX);
  const { leads, feedback } = repos;
  const verdictsByLead = new Map<string, DemoData["verdicts"]>();
  for (const verdict of data.verdicts) {
    verdictsByLead.set(verdict.externalId, [
      ...(verdictsByLead.get(verdict.externalId) ?? []),
      verdict,
    ]);
  }
  for (const lead of data.leads) {
    const definition = check(lead);
    const stored = await leads.upsert(workspaceId, {
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name,
      company: lead.company,
      title: lead.title,
      campaignId: campaignIds.get(lead.campaignKey) ?? null,
      owner: lead.owner,
      createdAt: lead.createdAt,
      fields: lead.fields,
      definition,
    });
    ids.set(lead.externalId, stored.id);
    for (const verdict of verdictsByLead.get(lead.externalId) ?? []) {
      await feedback.append(workspaceId, {
        leadId: stored.id,
        verdict: verdict.verdict,
        reasons: verdict.reasons,
        note: verdict.note,
        userId: verdict.userId,
        givenAt: verdict.givenAt,
        definitionStatus: definition.status,
        revisitOn: verdict.revisitOn ?? null,
      });
    }
  }
  return ids;
}
