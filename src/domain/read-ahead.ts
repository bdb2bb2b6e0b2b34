/**
 * How many pages a sync reads ahead of the one it stores: each next request's cursor comes from
 * the page before it, not from what is stored, so the CRM's allowance sets the pace and a slow
 * store only spends the lead the reads have, never the allowance. Bounded, so memory is too.
 */
export const PAGES_AHEAD = 3;

/**
 * The items of `source` in order, with up to `depth` of them asked for ahead of the consumer.
 * An async generator runs its asked-for steps one after another, so the reads stay sequential.
 * A failure of the source reaches the consumer after the items read before it.
 */
export async function* readAhead<T>(
  source: AsyncGenerator<T, void>,
  depth = PAGES_AHEAD,
): AsyncGenerator<T, void> {
  const asked: Promise<IteratorResult<T, void>>[] = [];
  const askAhead = () => {
    while (asked.length < depth) {
      const next = source.next();
      // Seen by the consumer in its turn; until then it must not count as unhandled.
      next.catch(() => undefined);
      asked.push(next);
    }
  };
  try {
    askAhead();
    for (;;) {
      const result = await (asked.shift() as Promise<IteratorResult<T, void>>);
      if (result.done) return;
      askAhead();
      yield result.value;
    }
  } finally {
    // The consumer stopped early (or the source is done): end the source after its current step.
    await source.return(undefined);
  }
}
