import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { suggestMappingCommand } from '../../src/cli/suggest-mapping.js';

function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk, _enc, done) { (s as unknown as { text: string }).text += String(chunk); done(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

async function file(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'suggest-mapping-'));
  const path = join(dir, 'fields.json');
  await writeFile(path, content);
  return path;
}

describe('suggestMappingCommand', () => {
  it('prints { mappings } for a fields file, exit 0', async () => {
    const out = sink(); const err = sink();
    const path = await file(JSON.stringify([{ name: 'First Name' }, { name: 'E-mail', samples: ['a@b.com'] }, { name: 'Favourite colour' }]));
    expect(await suggestMappingCommand({ entity: 'contacts', crm: 'csv', fields: path }, out, err)).toBe(0);
    const { mappings } = JSON.parse(out.text);
    expect(mappings.map((m: { targetField: string | null }) => m.targetField)).toEqual(['firstName', 'email', null]);
    expect(err.text).toBe('');
  });
  it('accepts an object with sourceFields and memory', async () => {
    const out = sink();
    const path = await file(JSON.stringify({ sourceFields: [{ name: 'Kd-Nr' }], memory: { 'Kd-Nr': { targetField: 'externalId' } } }));
    expect(await suggestMappingCommand({ entity: 'contacts', crm: 'csv', fields: path }, out, sink())).toBe(0);
    expect(JSON.parse(out.text).mappings[0]).toMatchObject({ targetField: 'externalId', reason: 'You mapped this before.' });
  });
  it.each([
    ['unknown entity', { entity: 'tickets' }, JSON.stringify([{ name: 'A' }]), /entityType must be one of/],
    ['unknown crm', { crm: 'dynamics' }, JSON.stringify([{ name: 'A' }]), /crmType must be one of/],
    ['empty list', {}, '[]', /sourceFields is empty/],
    ['duplicates', {}, JSON.stringify([{ name: 'A' }, { name: 'A' }]), /Duplicate source field name "A"/],
    ['bad JSON', {}, '{ nope', /is not valid JSON/],
    ['wrong shape', {}, '"just a string"', /must hold an array of source fields/],
  ])('%s → message on stderr, exit 1', async (_name, override, content, message) => {
    const out = sink(); const err = sink();
    const code = await suggestMappingCommand({ entity: 'contacts', crm: 'csv', fields: await file(content), ...override }, out, err);
    expect(code).toBe(1);
    expect(err.text).toMatch(message);
    expect(out.text).toBe('');
  });
  it('missing file', async () => {
    const err = sink();
    expect(await suggestMappingCommand({ entity: 'contacts', crm: 'csv', fields: '/nonexistent/fields.json' }, sink(), err)).toBe(1);
    expect(err.text).toMatch(/no such file/);
  });
});
