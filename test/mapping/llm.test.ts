import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLlmRequest, parseLlmResponse, suggestMappings, type LlmConfig, type SourceField } from '../../src/core/mapping/index.js';

// A local OpenAI-compatible stub: the path picks the behaviour; every request body is recorded.
interface ChatBody { messages: { role: string; content: string }[] }
const received: { path: string; body: ChatBody; auth?: string | undefined }[] = [];
let server: Server;
let baseUrl = '';

const completion = (content: string) => JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] });
const good = JSON.stringify({
  mappings: [
    { sourceField: 'Kd-Nr', targetField: 'externalId', confidence: 0.9, reason: 'German abbreviation of customer number' },
    { sourceField: 'Mail', targetField: 'birthdate', confidence: 0.99, reason: 'wrong on purpose' },
    { sourceField: 'Sonstiges', targetField: 'shoeSize', confidence: 0.9, reason: 'invented target' },
  ],
});

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: (raw ? JSON.parse(raw) : { messages: [] }) as ChatBody, auth: req.headers.authorization });
      const path = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (path.startsWith('/good/')) res.end(completion(good));
      else if (path.startsWith('/fenced/')) res.end(completion(`\`\`\`json\n${good}\n\`\`\``));
      else if (path.startsWith('/bad/')) res.end(completion('I think Kd-Nr is an id.'));
      else if (path.startsWith('/badshape/')) res.end(JSON.stringify({ result: 'nope' }));
      else if (path.startsWith('/error/')) { res.statusCode = 500; res.end('{"error":"boom"}'); }
      else if (path.startsWith('/slow/')) setTimeout(() => { if (!res.destroyed) res.end(completion(good)); }, 2000);
      else { res.statusCode = 404; res.end(); }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const fields: SourceField[] = [
  { name: 'Email', samples: ['jane@acme.com', 'bob@x.io'] }, // confident catalogue/synonym match
  { name: 'Kd-Nr', samples: ['K-1001', 'K-1002'] }, // unknown to the rules
  { name: 'Mail', samples: ['secret@private.com'] }, // loses email to "Email"
  { name: 'Sonstiges', samples: ['xyz'] },
];
const config = (path: string, extra: Partial<LlmConfig> = {}): LlmConfig => ({ baseUrl: `${baseUrl}/${path}/v1`, apiKey: 'test-key', model: 'stub-1', sendSamples: true, timeoutMs: 500, ...extra });
const input = { entityType: 'contacts' as const, source: 'csv' as const, sourceFields: fields };

describe('LLM option against a local stub', () => {
  it('a good reply helps only fields below the threshold, never a confident match, only valid targets', async () => {
    const r = await suggestMappings(input, { llm: config('good') });
    expect(r.llm).toEqual({ used: true, fields: expect.any(Number) });
    const by = Object.fromEntries(r.mappings.map((m) => [m.sourceField, m]));
    expect(by.Email!.targetField).toBe('email');
    expect(by['Kd-Nr']).toMatchObject({ targetField: 'externalId' });
    expect(by['Kd-Nr']!.confidence).toBeLessThanOrEqual(0.8);
    expect(by['Kd-Nr']!.reason).toMatch(/language model \(stub-1\)/);
    expect(by.Sonstiges!.targetField).toBeNull(); // invented target ignored
    const req = received.at(-1)!;
    expect(req.path).toBe('/good/v1/chat/completions');
    expect(req.auth).toBe('Bearer test-key');
    const asked = JSON.parse(req.body.messages[1]!.content);
    expect(asked.fields.map((f: { name: string }) => f.name)).not.toContain('Email'); // confident fields are not sent
    expect(asked.fields.find((f: { name: string }) => f.name === 'Kd-Nr').samples).toEqual(['K-1001', 'K-1002']);
  });
  it('a confident built-in match is never overridden, even when the model is sure', async () => {
    const r = await suggestMappings({ ...input, sourceFields: [{ name: 'Mail', samples: ['a@b.com', 'c@d.com'] }, fields[1]!] }, { llm: config('good') });
    expect(r.mappings[0]).toMatchObject({ targetField: 'email' });
    expect(r.mappings[0]!.confidence).toBeGreaterThanOrEqual(0.6);
  });
  it('withholds samples when sendSamples is false', async () => {
    await suggestMappings(input, { llm: config('good', { sendSamples: false }) });
    const asked = JSON.parse(received.at(-1)!.body.messages[1]!.content);
    expect(asked.fields.every((f: object) => !('samples' in f))).toBe(true);
    expect(JSON.stringify(received.at(-1)!.body)).not.toContain('K-1001');
  });
  it('accepts JSON in a fenced block', async () => {
    expect((await suggestMappings(input, { llm: config('fenced') })).llm.used).toBe(true);
  });
  it.each([
    ['bad', 'bad-reply'],
    ['badshape', 'bad-reply'],
    ['error', 'http-error'],
    ['slow', 'timeout'],
  ])('%s reply → the built-in result, silently (%s)', async (path, reason) => {
    const builtIn = await suggestMappings(input);
    const started = Date.now();
    const r = await suggestMappings(input, { llm: config(path) });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r.llm).toMatchObject({ used: false, reason });
    expect(r.mappings).toEqual(builtIn.mappings);
  });
  it('no config, or nothing uncertain: the model is not called', async () => {
    const before = received.length;
    expect((await suggestMappings(input)).llm).toEqual({ used: false, reason: 'not-configured' });
    expect((await suggestMappings({ ...input, sourceFields: [fields[0]!] }, { llm: config('good') })).llm).toEqual({ used: false, reason: 'no-uncertain-fields' });
    expect(received.length).toBe(before);
  });
  it('a network failure is reported as such', async () => {
    const r = await suggestMappings(input, { llm: { ...config('good'), baseUrl: 'http://127.0.0.1:1' } });
    expect(r.llm).toMatchObject({ used: false, reason: 'network-error' });
  });
});

describe('request building and reply validation (pure)', () => {
  it('builds an OpenAI-compatible request listing the entity\'s targets', () => {
    const req = buildLlmRequest(config('x'), { entityType: 'deals', source: 'csv', fields: [{ name: 'A', samples: ['1'] }] });
    expect(req.url).toBe(`${baseUrl}/x/v1/chat/completions`);
    const body = JSON.parse(req.init.body);
    expect(body).toMatchObject({ model: 'stub-1', temperature: 0, response_format: { type: 'json_object' } });
    expect(JSON.parse(body.messages[1].content).targets.map((t: { name: string }) => t.name)).toContain('closeDate');
  });
  it('drops fields that were not asked about and targets of another entity', () => {
    const reply = { choices: [{ message: { content: JSON.stringify({ mappings: [{ sourceField: 'A', targetField: 'closeDate', confidence: 0.7 }, { sourceField: 'B', targetField: 'email', confidence: 0.7 }] }) } }] };
    const r = parseLlmResponse(reply, 'contacts', new Set(['A']));
    expect(r.ok && r.suggestions.size).toBe(0);
    expect(parseLlmResponse({ choices: [] }, 'contacts', new Set()).ok).toBe(false);
  });
});
