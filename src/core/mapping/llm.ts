/**
 * Optional language model for the fields the built-in rules are unsure about. Pure: this module builds
 * the OpenAI-compatible `POST {baseUrl}/chat/completions` request and validates the reply; the I/O is an
 * injected fetch and the configuration comes in as arguments (never from process.env).
 * The reply can only help uncertain fields: it never touches a field at or above the threshold, never
 * takes a target another field holds, only names valid targets of the entity, and its confidence is capped
 * below what a catalogue match gets.
 */
import { z } from 'zod';
import { targetFields } from '../canonical-model.js';
import type { EntityType, SourceSystem } from '../ids.js';
import type { MappingSuggestion, SourceField } from './types.js';

export interface LlmConfig {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly model: string;
  /** Send a few sample values per field; false sends names, labels and types only. */
  readonly sendSamples: boolean;
  readonly timeoutMs: number;
  /** Fields below this confidence are asked about (default 0.6). */
  readonly threshold?: number;
}

/** The subset of `fetch` this module needs; the global fetch fits. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export const LLM_DEFAULT_THRESHOLD = 0.6;
/** An LLM-only suggestion never reaches "confident" (≥ 0.9): at most this. */
export const LLM_MAX_CONFIDENCE = 0.8;
const MAX_FIELDS_PER_REQUEST = 50;
const MAX_SAMPLES = 5;
const MAX_SAMPLE_CHARS = 100;

export interface LlmRequest {
  readonly url: string;
  readonly init: { method: 'POST'; headers: Record<string, string>; body: string };
}

const SYSTEM_PROMPT = [
  'You map columns of a CRM export or spreadsheet to the fields of a canonical CRM model.',
  'For each source field, pick the one target field it holds, or null when none fits (it will be kept as a custom field).',
  'Use only the target names given. Never give two source fields the same target.',
  'Answer with JSON only: {"mappings":[{"sourceField":"…","targetField":"…"|null,"confidence":0..1,"reason":"…"}]}.',
].join(' ');

/** Build the chat-completions request for the uncertain fields. */
export function buildLlmRequest(
  config: LlmConfig,
  ask: { entityType: EntityType; source: SourceSystem; fields: readonly SourceField[] },
): LlmRequest {
  const targets = targetFields(ask.entityType).map((t) => ({ name: t.name, label: t.label, kind: t.kind }));
  const fields = ask.fields.slice(0, MAX_FIELDS_PER_REQUEST).map((f) => ({
    name: f.name,
    ...(f.label ? { label: f.label } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(config.sendSamples && f.samples?.length
      ? { samples: f.samples.filter((s) => s !== null && s !== '').slice(0, MAX_SAMPLES).map((s) => String(s).slice(0, MAX_SAMPLE_CHARS)) }
      : {}),
  }));
  const body = {
    model: config.model,
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: JSON.stringify({ entityType: ask.entityType, source: ask.source, targets, fields }) },
    ],
  };
  return {
    url: `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`,
    init: { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` }, body: JSON.stringify(body) },
  };
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

export const llmReplySchema = z.object({
  mappings: z.array(
    z.object({
      sourceField: z.string(),
      targetField: z.string().nullable(),
      confidence: z.number().min(0).max(1),
      reason: z.string().max(1000).optional(),
    }),
  ).max(500),
});

export interface LlmSuggestion {
  readonly targetField: string | null;
  readonly confidence: number;
  readonly reason: string;
}

export type LlmParseResult = { ok: true; suggestions: Map<string, LlmSuggestion> } | { ok: false; reason: string };

/** Validate a chat-completions reply; keep only asked-about fields and valid targets of the entity. */
export function parseLlmResponse(json: unknown, entityType: EntityType, askedFields: ReadonlySet<string>): LlmParseResult {
  const completion = completionSchema.safeParse(json);
  if (!completion.success) return { ok: false, reason: 'The reply is not a chat completion.' };
  const content = completion.data.choices[0]!.message.content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { ok: false, reason: 'The reply content is not JSON.' };
  }
  const reply = llmReplySchema.safeParse(parsed);
  if (!reply.success) return { ok: false, reason: 'The reply does not match the expected mappings schema.' };
  const valid = new Set(targetFields(entityType).map((t) => t.name));
  const suggestions = new Map<string, LlmSuggestion>();
  for (const m of reply.data.mappings) {
    if (!askedFields.has(m.sourceField) || suggestions.has(m.sourceField)) continue;
    if (m.targetField !== null && !valid.has(m.targetField)) continue; // an invented target is ignored
    suggestions.set(m.sourceField, { targetField: m.targetField, confidence: m.confidence, reason: (m.reason ?? '').slice(0, 300) });
  }
  return { ok: true, suggestions };
}

/**
 * Fold the model's suggestions into the built-in result. Only fields below `threshold` change; a target
 * held by another field is never taken; confidence is capped at LLM_MAX_CONFIDENCE. Returns the new list
 * and the names of the fields whose target changed (their transform needs recomputing).
 */
export function mergeLlmSuggestions(
  mappings: readonly MappingSuggestion[],
  suggestions: ReadonlyMap<string, LlmSuggestion>,
  model: string,
  threshold = LLM_DEFAULT_THRESHOLD,
): { mappings: MappingSuggestion[]; changed: Set<string> } {
  const holders = new Map<string, string>();
  for (const m of mappings) if (m.targetField) holders.set(m.targetField, m.sourceField);
  const changed = new Set<string>();
  const out = mappings.map((m) => {
    const s = suggestions.get(m.sourceField);
    if (!s || m.confidence >= threshold) return m;
    const why = s.reason ? `: ${s.reason}` : '.';
    if (s.targetField === m.targetField) {
      const confidence = Math.min(LLM_MAX_CONFIDENCE, Math.max(m.confidence, Math.round((m.confidence + s.confidence) * 50) / 100 + 0.05));
      return { ...m, confidence, reason: `${m.reason} The language model (${model}) agrees${why}` };
    }
    if (s.targetField !== null && holders.has(s.targetField) && holders.get(s.targetField) !== m.sourceField) return m;
    if (m.targetField) holders.delete(m.targetField);
    if (s.targetField) holders.set(s.targetField, m.sourceField);
    changed.add(m.sourceField);
    const { transform: _dropped, alternatives: _alts, ...rest } = m;
    return {
      ...rest,
      targetField: s.targetField,
      confidence: Math.round(Math.min(LLM_MAX_CONFIDENCE - 0.05, s.confidence * 0.8) * 100) / 100,
      reason: `Suggested by the language model (${model})${why} The built-in rules were unsure (${m.targetField ?? 'no target'}, ${m.confidence}).`,
    };
  });
  return { mappings: out, changed };
}
