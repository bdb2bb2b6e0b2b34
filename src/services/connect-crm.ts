import type { CrmConfig } from "../config.ts";
import { connectionSummary } from "../db/repositories/crm-connection-repository.ts";
import { type RepositorySource, transaction } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import {
  BACKFILL_DAYS,
  CRM_LABELS,
  type CrmConnectionSummary,
  type CrmCredentials,
  crmCredentialsSchema,
  requireEncryptionKey,
  sealCredentials,
} from "../domain/crm-connection.ts";
import {
  CRM_PRESETS,
  crmMappingFile,
  crmMappingOf,
  parseCrmMapping,
} from "../imports/crm-mapping.ts";
import { invalidMapping } from "../imports/mapping.ts";

/** What connecting a CRM uses, whichever way the credentials came. */
export interface ConnectCrmDeps {
  db: RepositorySource;
  config: { crm: CrmConfig };
  now: () => Date;
}

/**
 * Connects a workspace to HubSpot or Salesforce (replacing an earlier connection): the credentials
 * are checked, sealed and stored; the answer never carries them.
 */
export async function connectCrm(
  deps: ConnectCrmDeps,
  input: {
    workspaceId: string;
    credentials: CrmCredentials;
    backfillDays?: number;
    connectedBy: string;
    /** Salesforce: where verdicts go (Lead Status and a reason field), else Leadfit's fields. */
    verdicts?: unknown;
  },
): Promise<CrmConnectionSummary> {
  const key = requireEncryptionKey(deps.config.crm.encryptionKey);
  const parsed = crmCredentialsSchema.safeParse(input.credentials);
  if (!parsed.success) {
    const label = CRM_LABELS[input.credentials.kind] ?? "the CRM";
    const field = String(parsed.error.issues[0]?.path.join(".") ?? "credentials");
    throw new AppError(
      "invalid_request",
      `invalid ${label} credentials: ${field}`,
      `The ${label} credentials are incomplete or malformed (${field}).`,
      { issues: [{ index: 0, field, message: "incomplete or malformed" }] },
    );
  }
  const backfillDays = input.backfillDays ?? BACKFILL_DAYS.default;
  if (
    !Number.isInteger(backfillDays) ||
    backfillDays < BACKFILL_DAYS.min ||
    backfillDays > BACKFILL_DAYS.max
  ) {
    throw new AppError(
      "invalid_request",
      `backfill days ${backfillDays}`,
      `The backfill is a whole number of days from ${BACKFILL_DAYS.min} to ${BACKFILL_DAYS.max}.`,
      { issues: [{ index: 0, field: "backfillDays", message: "out of range" }] },
    );
  }
  const verdicts =
    input.verdicts === undefined
      ? undefined
      : parseCrmMapping(parsed.data.kind, {
          ...crmMappingFile(CRM_PRESETS[parsed.data.kind]),
          verdicts: input.verdicts,
        });
  if (verdicts && !verdicts.ok) throw invalidMapping("--verdict-fields", verdicts.problems);
  // The credentials are tried before they are kept: the CRM names the portal or org they open.
  let credentials = parsed.data;
  // Loaded here, not with this module: the vendors' clients cost start-up about 0.16 s otherwise.
  const { crmAccount, crmClientFor } = await import("../outbound/crm/clients.ts");
  const account = await crmAccount(
    crmClientFor(deps.config.crm, credentials, async (renewed) => {
      credentials = renewed;
    }),
  );
  // The connection and the verdicts' mapping over it are stored together, or neither is.
  const connection = await transaction(deps.db, async (repos) => {
    const stored = await repos.crmConnections.connect({
      workspaceId: input.workspaceId,
      kind: parsed.data.kind,
      sealedCredentials: sealCredentials(key, credentials),
      account,
      backfillDays,
      connectedBy: input.connectedBy,
      at: deps.now(),
    });
    if (verdicts) {
      // Over the mapping kept from an earlier connection to the same CRM, if any.
      const mapping = crmMappingOf(stored.kind, stored.mapping);
      await repos.crmConnections.setMapping(
        input.workspaceId,
        crmMappingFile({ ...mapping, verdicts: verdicts.mapping.verdicts }),
        input.connectedBy,
      );
    }
    return stored;
  });
  return connectionSummary(connection);
}
