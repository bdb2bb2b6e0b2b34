import type { ImportMappingText } from "../mapping.ts";

// Leadfit's own files, as the docs describe them: the columns named as the API's keys.

/** One lead per row; any other column is a qualification field under its own name. */
export const leadfitLeads: ImportMappingText = {
  name: "leadfit",
  label: "Leadfit leads",
  kind: "leads",
  columns: {
    externalId: ["external_id"],
    email: ["email"],
    name: ["name"],
    company: ["company"],
    title: ["title"],
    campaign: ["campaign"],
    owner: ["owner"],
    createdAt: ["created_at"],
  },
  otherColumns: "fields",
  campaignColumn: "keys",
};

/** One metric value per row, for a day or an ISO week, optionally per campaign. */
export const leadfitMetrics: ImportMappingText = {
  name: "leadfit",
  label: "Leadfit metrics",
  kind: "metrics",
  columns: {
    metric: ["metric"],
    campaign: ["campaign"],
    period: ["period"],
    value: ["value"],
    source: ["source"],
  },
  otherColumns: "refuse",
  campaignColumn: "keys",
  repeated: "refuse",
};

/** One outcome per row: an opportunity opened, won or lost, for a lead Leadfit has. */
export const leadfitOutcomes: ImportMappingText = {
  name: "leadfit",
  label: "Leadfit outcomes",
  kind: "outcomes",
  columns: {
    externalId: ["external_id"],
    lead: ["lead"],
    type: ["type"],
    at: ["at"],
    amount: ["amount"],
  },
  otherColumns: "refuse",
};
