import type { Deps } from "../../deps.ts";
import { crmWritesDue } from "../../services/crm-writes-due.ts";
import type { CrmWriteOptions } from "../../services/write-verdicts-to-crm.ts";

/**
 * Writes queued verdicts back to the CRM, on a loop of its own: a slow or failing CRM delays only
 * the next round of writes, never cards, webhooks or Slack's requests.
 */
export async function writeQueuedVerdictsToCrm(
  deps: Deps,
  options: CrmWriteOptions = {},
): Promise<void> {
  if (!(await crmWritesDue(deps))) return;
  // The vendors' clients load with the first write, as for the sync (crm-sync.ts).
  const { writeVerdictsToCrm } = await import("../../services/write-verdicts-to-crm.ts");
  const report = await writeVerdictsToCrm(deps, options);
  if (report.retrying + report.failed > 0)
    deps.log.warn("Some verdicts were not written to the CRM", { ...report });
}
