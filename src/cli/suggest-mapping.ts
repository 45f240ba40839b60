/**
 * `crm-migrate suggest-mapping --entity <type> --crm <source> --fields <file.json>`: prints the engine's
 * suggestions as `{ "mappings": [...] }` without a server or a database. The file holds the sourceFields
 * array (or an object with `sourceFields` and optionally `memory` and `defaultCountry`).
 * Bad input: a clear message on stderr and exit code 1.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAppError } from '../errors.js';
import { parseSuggestMappingRequest } from '../core/mapping/schema.js';
import { suggestMappingsSync } from '../core/mapping/engine.js';

/** The largest --fields file read (2,000 fields × 100 samples of short text fit easily). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

export async function suggestMappingCommand(
  opts: { entity: string; crm: string; fields: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const fail = (message: string): number => {
    err.write(`suggest-mapping: ${message}\n`);
    return 1;
  };
  let text: string;
  try {
    const info = await stat(opts.fields);
    if (!info.isFile()) return fail(`${opts.fields} is not a file.`);
    if (info.size > MAX_FILE_BYTES) return fail(`${opts.fields} is ${info.size} bytes; the limit is ${MAX_FILE_BYTES}.`);
    text = await readFile(opts.fields, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `cannot read ${opts.fields}: no such file.` : `cannot read ${opts.fields}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`${opts.fields} is not valid JSON (${(e as Error).message}).`);
  }
  const body = Array.isArray(json)
    ? { entityType: opts.entity, crmType: opts.crm, sourceFields: json }
    : json !== null && typeof json === 'object'
      ? { ...(json as Record<string, unknown>), entityType: opts.entity, crmType: opts.crm }
      : undefined;
  if (!body) return fail(`${opts.fields} must hold an array of source fields or an object with "sourceFields".`);
  try {
    const input = parseSuggestMappingRequest(body);
    out.write(`${JSON.stringify(suggestMappingsSync(input), null, 2)}\n`);
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    const issues = (e.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
    const extra = issues.slice(1, 5).map((i) => `\n  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('');
    return fail(`${e.message}${extra}`);
  }
}
