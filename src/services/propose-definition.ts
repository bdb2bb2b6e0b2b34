import type { Repositories } from "../db/repositories/index.ts";
import type { AgreedDefinition } from "../domain/agreed-definition.ts";
import { parseRuleText } from "../domain/definition-rules.ts";
import { firstTime, type Once, REPEAT } from "../domain/once.ts";

export type ProposeResult =
  | ({ ok: true } & Once<{ proposal: AgreedDefinition; previous: AgreedDefinition | undefined }>)
  | { ok: false; errors: { line: number; message: string }[] };

/**
 * Parses the rules (one per line) and stores them as the next version, waiting for the other team.
 * A repeat of the Slack request that proposed them (its `requestKey`) proposes nothing.
 */
export async function proposeDefinition(
  { repos }: { repos: Repositories },
  input: { workspaceId: string; text: string; userId: string; requestKey: string },
): Promise<ProposeResult> {
  const parsed = parseRuleText(input.text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const previous = await repos.agreedDefinitions.active(input.workspaceId);
  const proposed = await repos.agreedDefinitions.proposeOnce(
    input.workspaceId,
    parsed.document,
    input.userId,
    input.requestKey,
  );
  if (proposed.repeat) return { ok: true, ...REPEAT };
  return { ok: true, ...firstTime({ proposal: proposed.value, previous }) };
}
