/**
 * pino JSON logs with secrets removed twice over: pino's path redaction for the known places (headers,
 * cookies), and a key-based scrub of every logged object, so a token nested anywhere in a logged object is
 * replaced, whatever the depth. OAuth `code`/`state` and token-looking query parameters are cut from URLs.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

const SECRET_KEY = /(pass(word)?|secret|token|authorization|cookie|api[-_]?key|code[-_]?verifier|credential|private[-_]?key|session[-_]?id|^code$)/i;
const SECRET_QUERY = /([?&](?:code|state|token|access_token|refresh_token|client_secret|api_token|code_verifier)=)[^&#]*/gi;
const REDACTED = '[redacted]';

/** Remove secret query-string values from a URL or path. */
export function scrubUrl(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

/** A deep copy of `value` with every secret-looking key replaced. Cycles and depth are bounded. */
export function scrubSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1, seen));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack, ...(scrubSecrets({ ...value }, depth + 1, seen) as object) };
  }
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && v !== null && v !== undefined && v !== '') out[key] = REDACTED;
    else if ((key === 'url' || key === 'path') && typeof v === 'string') out[key] = scrubUrl(v);
    else out[key] = scrubSecrets(v, depth + 1, seen);
  }
  return out;
}

export interface LoggerSettings {
  level: LoggerOptions['level'];
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: REDACTED,
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url ? scrubUrl(req.url) : undefined,
        ip: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => scrubSecrets(err),
    },
    formatters: {
      // Runs before the serializers: req/res/err are left to theirs (which keep only safe fields).
      log: (obj) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(obj)) {
          out[key] = key === 'req' || key === 'res' || key === 'err' ? value : SECRET_KEY.test(key) ? REDACTED : scrubSecrets(value);
        }
        return out;
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
