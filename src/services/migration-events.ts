/**
 * A run's progress as Server-Sent Events. The run's row is polled (once a second), so progress made by any worker
 * process reaches any server process, on PostgreSQL and on the embedded database alike. A `progress` event goes
 * out whenever the row changed, a comment line every 15 s keeps proxies from closing the stream, and an `end`
 * event closes it when the run ends.
 */
import type { AppContext } from '../context.js';
import type { AuthContext } from './auth-service.js';
import { getMigration, type MigrationView } from './migration-service.js';

const TERMINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

function event(name: string, view: MigrationView): string {
  return `event: ${name}\nid: ${view.updatedAt.getTime()}\ndata: ${JSON.stringify(view)}\n\n`;
}

export async function* migrationEvents(
  ctx: AppContext,
  auth: AuthContext,
  migrationId: string,
  signal: AbortSignal,
  options: { pollMs?: number; heartbeatMs?: number } = {},
): AsyncGenerator<string> {
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  yield 'retry: 3000\n\n';
  let lastKey = '';
  let lastWrite = Date.now();
  while (!signal.aborted) {
    const view = await getMigration(ctx, auth, migrationId);
    const key = `${view.updatedAt.getTime()}|${view.status}|${view.counts.fetched}|${view.phase}`;
    if (TERMINAL.has(view.status)) {
      yield event('end', view);
      return;
    }
    if (key !== lastKey) {
      lastKey = key;
      lastWrite = Date.now();
      yield event('progress', view);
    } else if (Date.now() - lastWrite >= heartbeatMs) {
      lastWrite = Date.now();
      yield `: heartbeat ${new Date().toISOString()}\n\n`;
    }
    await sleep(pollMs, signal);
  }
}
