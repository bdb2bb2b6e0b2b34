import type { Repositories } from "../db/repositories/index.ts";

/**
 * Whether any verdict waits to be written to a CRM now: asked on every round of the writer's
 * loop, before the writer (and with it the vendors' clients) is loaded.
 */
export function crmWritesDue(deps: {
  repos: Pick<Repositories, "crmVerdictWrites">;
  now: () => Date;
}): Promise<boolean> {
  return deps.repos.crmVerdictWrites.anyDue(deps.now());
}
