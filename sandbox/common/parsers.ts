/**
 * Body parsers a sandbox registers inside its own encapsulated scope, replacing whatever the host app has for
 * the same types: SDKs send form bodies (OAuth token endpoints), multipart (Zoho's token endpoint in some
 * SDKs), JSON (sometimes empty), CSV and arbitrary bytes.
 */
import type { FastifyInstance } from 'fastify';

/** A 400 the CRM's error handler can render in its own shape (`statusCode` and `code` set). */
export class SandboxBadRequest extends Error {
  readonly statusCode = 400;
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SandboxBadRequest';
  }
}

/** Parses application/x-www-form-urlencoded into a flat record (a repeated key keeps its last value). */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/**
 * Minimal multipart/form-data parser (RFC 7578): returns each part's text by field name. Enough for token
 * endpoints; file parts are returned as text too.
 */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new SandboxBadRequest('INVALID_MULTIPART', 'multipart body without boundary');
  const out: Record<string, string> = {};
  const text = body.toString('latin1'); // byte-preserving; field values are re-decoded as UTF-8 below
  for (const part of text.split(`--${boundary.trim()}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, sep))?.[1];
    if (name === undefined) continue;
    const value = part.slice(sep + 4).replace(/\r\n$/, '');
    out[name] = Buffer.from(value, 'latin1').toString('utf8');
  }
  return out;
}

function replace(app: FastifyInstance, type: string | RegExp): void {
  if (typeof type === 'string' && app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
}

export function registerSandboxParsers(app: FastifyInstance): void {
  replace(app, 'application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const s = (body as string).trim();
    if (s === '') return done(null, undefined);
    try {
      done(null, JSON.parse(s));
    } catch {
      done(new SandboxBadRequest('INVALID_JSON', 'request body is not valid JSON'), undefined);
    }
  });
  replace(app, 'application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
  replace(app, 'multipart/form-data');
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  for (const t of ['text/csv', 'text/plain', 'application/graphql']) {
    replace(app, t);
    app.addContentTypeParser(t, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  replace(app, '*');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}
