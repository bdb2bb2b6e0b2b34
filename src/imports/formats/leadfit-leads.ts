import { type LeadInput, leadInputSchema } from "../../domain/ingest-schemas.ts";
import type { ImportFormat } from "../format.ts";

// Leadfit's own leads file: one lead per row, the documented columns named as in the docs, any
// other column a qualification field.

const LEAD_COLUMNS = {
  external_id: "externalId",
  email: "email",
  name: "name",
  company: "company",
  title: "title",
  campaign: "campaign",
  owner: "owner",
  created_at: "createdAt",
} as const;
const COLUMN_OF_LEAD_KEY = new Map<PropertyKey, string>(
  Object.entries(LEAD_COLUMNS).map(([column, key]) => [key, column]),
);

export const leadfitLeads: ImportFormat<LeadInput> = {
  columns: Object.keys(LEAD_COLUMNS),
  required: ["external_id", "email", "created_at"],
  schema: leadInputSchema,
  // Any other column is a qualification field; its name is checked once, by the API's schema.
  extraColumns: (extra, line) => {
    if (extra.length === 0) return [];
    const probe = leadInputSchema.shape.fields.safeParse(
      Object.fromEntries(extra.map((c) => [c.name, ""])),
    );
    if (probe.success) return [];
    return probe.error.issues.map((issue) => ({
      index: line,
      field: typeof issue.path[0] === "string" ? issue.path[0] : "(header)",
      message: issue.message,
    }));
  },
  toInput: (cells) => {
    const optional = (column: string) => cells.get(column) || null;
    const fields: Record<string, string> = {};
    for (const [column, value] of cells)
      if (!Object.hasOwn(LEAD_COLUMNS, column) && value !== "") fields[column] = value;
    return {
      externalId: cells.get("external_id") ?? "",
      email: cells.get("email") ?? "",
      name: optional("name"),
      company: optional("company"),
      title: optional("title"),
      campaign: optional("campaign"),
      owner: optional("owner"),
      createdAt: cells.get("created_at") ?? "",
      fields,
    };
  },
  column: (path) => {
    const [first, second] = path;
    if (first === "fields" && typeof second === "string") return second;
    return (first !== undefined && COLUMN_OF_LEAD_KEY.get(first)) || "(row)";
  },
  identity: (lead) => ({
    value: lead.externalId,
    field: "external_id",
    repeated: (line) => `${lead.externalId} already appears on line ${line}; list each lead once`,
  }),
};
