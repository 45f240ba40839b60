/**
 * Read one item ahead of the consumer, so the next page is fetched (or the next CSV rows parsed and mapped) while
 * the current batch is written to the database. At most one item is held besides the one being consumed.
 */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined = it.next();
  try {
    while (pending) {
      const current: IteratorResult<T> = await pending;
      if (current.done) {
        pending = undefined;
        return;
      }
      pending = it.next();
      // Do not leave a rejected look-ahead unhandled while the consumer is busy; it is awaited next turn.
      pending.catch(() => undefined);
      yield current.value;
    }
  } finally {
    if (pending) {
      // The consumer stopped early: let the look-ahead settle, then close the source.
      await pending.catch(() => undefined);
      await it.return?.();
    }
  }
}
