import type { Deps } from "../../../deps.ts";
import { retryCrmWrites } from "../../../services/retry-crm-writes.ts";
import { changeFromHome } from "./schedule-actions.ts";

/** App Home's "Retry" on verdicts the CRM did not take: they are queued again. */
export const retryCrmWritesButton = (deps: Deps) =>
  changeFromHome(deps, "retry the CRM's failed writes", ({ value: _value, ...input }) =>
    retryCrmWrites(deps, input),
  );
