/**
 * One Bolt listener for many handlers, each picked by its id (an action id, a callback id): Bolt
 * runs every registered listener's matching on every request, so one listener per id would cost
 * each click and command as many matchings as there are ids.
 */
export function dispatchById<Args>(
  handlers: ReadonlyMap<string, (args: Args) => Promise<void>>,
  idOf: (args: Args) => string,
): (args: Args) => Promise<void> {
  return async (args) => {
    await handlers.get(idOf(args))?.(args);
  };
}
