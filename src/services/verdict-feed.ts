import type { Repositories } from "../db/repositories/index.ts";

/**
 * `GET /api/v1/verdicts`: the workspace's verdicts oldest first, a page at a time; `nextCursor`
 * is the last one's id when the page is full (more may follow), else null.
 */
export async function verdictFeed(
  deps: { repos: Pick<Repositories, "feedback"> },
  input: {
    workspaceId: string;
    since?: Date | undefined;
    after?: bigint | undefined;
    limit: number;
  },
) {
  const { workspaceId, ...options } = input;
  const page = await deps.repos.feedback.page(workspaceId, options);
  return {
    verdicts: page.map((v) => ({ ...v, givenAt: v.givenAt.toISOString() })),
    nextCursor: page.length === input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
