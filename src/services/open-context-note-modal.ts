import type { Repositories } from "../db/repositories/index.ts";
import {
  addWeeks,
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  weekEndDate,
  weekStartDate,
} from "../domain/week.ts";
import { type Workspace, workspaceTimezone } from "../domain/workspace.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";
import { contextNoteModal } from "../presentation/slack/context-note.ts";

const WEEKS_TO_CHOOSE = 9;

/** The context note modal, for this week and the eight before it (or `week` when given). */
export async function openContextNoteModal(
  deps: {
    repos: Pick<Repositories, "campaigns" | "metrics">;
    now: () => Date;
    gateway: SlackGateway;
  },
  input: {
    workspace: Workspace;
    triggerId: string;
    text: string;
    week?: IsoWeek;
    /** Where the note came from or goes to, carried to the submission (private_metadata). */
    metadata: object;
  },
): Promise<void> {
  const thisWeek = isoWeekOf(deps.now(), workspaceTimezone(input.workspace));
  const weeks = Array.from({ length: WEEKS_TO_CHOOSE }, (_, i) => addWeeks(thisWeek, -i)).map(
    (w) => ({
      value: formatIsoWeek(w),
      label: `${formatIsoWeek(w)} (${weekStartDate(w)} to ${weekEndDate(w)})`,
    }),
  );
  const [campaigns, metrics] = await Promise.all([
    deps.repos.campaigns.list(input.workspace.id),
    deps.repos.metrics.catalogue(input.workspace.id),
  ]);
  await deps.gateway.openView(
    input.triggerId,
    contextNoteModal({
      weeks,
      initialWeek: formatIsoWeek(input.week ?? thisWeek),
      campaigns: campaigns.map((c) => ({ key: c.key, name: c.name })),
      metrics,
      text: input.text,
      privateMetadata: JSON.stringify(input.metadata),
    }),
  );
}
