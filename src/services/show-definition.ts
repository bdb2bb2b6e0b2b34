import type { ModalView } from "@slack/types";
import type { Repositories } from "../db/repositories/index.ts";
import { BUILT_IN_FIELDS, formatRuleText } from "../domain/definition-rules.ts";
import {
  definitionHistoryMessage,
  definitionMessage,
  definitionModal,
} from "../presentation/slack/definition.ts";
import type { Message } from "../presentation/slack/message.ts";

type DefinitionDeps = { repos: Pick<Repositories, "agreedDefinitions" | "leads"> };

/** `/leadfit definition`: the agreed definition in force, with buttons to propose a change. */
export async function currentDefinition(
  deps: DefinitionDeps,
  input: { workspaceId: string },
): Promise<Message> {
  return definitionMessage({
    active: await deps.repos.agreedDefinitions.active(input.workspaceId),
  });
}

/** "History": the definition's versions, who proposed and who decided each. */
export async function definitionHistory(
  deps: DefinitionDeps,
  input: { workspaceId: string },
): Promise<Message> {
  return definitionHistoryMessage(await deps.repos.agreedDefinitions.history(input.workspaceId));
}

/** "Propose a change": the rules in force as text, one per line, and the fields leads carry. */
export async function definitionForm(
  deps: DefinitionDeps,
  input: { workspaceId: string },
): Promise<ModalView> {
  const [active, fields] = await Promise.all([
    deps.repos.agreedDefinitions.active(input.workspaceId),
    deps.repos.leads.fieldNames(input.workspaceId),
  ]);
  return definitionModal({
    currentText: active ? formatRuleText(active.rules) : "",
    fields: [...BUILT_IN_FIELDS, ...fields],
  });
}
