import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import {
  type CrmMapping,
  crmMappingFile,
  crmMappingOf,
  parseCrmMapping,
} from "../imports/crm-mapping.ts";
import { invalidMapping, readJsonFile } from "../imports/mapping.ts";

type CrmMappingDeps = { repos: Pick<Repositories, "crmConnections"> };

function notConnected(workspaceId: string): AppError {
  return new AppError(
    "not_found",
    `no CRM connection in ${workspaceId}`,
    "This workspace has no CRM connection: connect HubSpot or Salesforce first.",
  );
}

/** The mapping the next sync reads, in the mapping file's form (the CRM's preset until one is set). */
export async function showCrmMapping(
  deps: CrmMappingDeps,
  input: { workspaceId: string },
): Promise<Record<string, unknown>> {
  const connection = await deps.repos.crmConnections.get(input.workspaceId);
  if (!connection) throw notConnected(input.workspaceId);
  return crmMappingFile(crmMappingOf(connection.kind, connection.mapping));
}

/**
 * Replaces the connection's mapping with a mapping file's: checked
 * whole, each problem named with its place; the next sync reads it. Audited (crm.mapping_set).
 */
export async function setCrmMapping(
  deps: CrmMappingDeps,
  input: { workspaceId: string; file: string; actor: string },
): Promise<CrmMapping> {
  const connection = await deps.repos.crmConnections.get(input.workspaceId);
  if (!connection) throw notConnected(input.workspaceId);
  const parsed = parseCrmMapping(connection.kind, await readJsonFile(input.file));
  if (!parsed.ok) throw invalidMapping(input.file, parsed.problems);
  if (
    !(await deps.repos.crmConnections.setMapping(
      input.workspaceId,
      crmMappingFile(parsed.mapping),
      input.actor,
    ))
  )
    throw notConnected(input.workspaceId);
  return parsed.mapping;
}
