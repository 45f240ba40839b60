/**
 * The public entry: `suggestMappings` runs the built-in engine and, when a language model is configured,
 * asks it about the fields still below the threshold. Any failure of the model (no config, timeout,
 * non-2xx, bad reply) silently gives the built-in result; `llm` says what happened, for logs.
 */
import { profileValues } from './detectors.js';
import { suggestMappingsSync } from './engine.js';
import { buildLlmRequest, LLM_DEFAULT_THRESHOLD, mergeLlmSuggestions, parseLlmResponse, type FetchLike, type LlmConfig } from './llm.js';
import { dominantCountry, suggestTransform } from './transform-suggest.js';
import type { MappingSuggestion, SuggestMappingsInput, SuggestMappingsResult } from './types.js';

export interface SuggestOptions {
  readonly llm?: LlmConfig;
  /** Injected I/O (defaults to the global fetch). */
  readonly fetch?: FetchLike;
}

export type LlmOutcome =
  | { readonly used: true; readonly fields: number }
  | { readonly used: false; readonly reason: 'not-configured' | 'no-uncertain-fields' | 'timeout' | 'http-error' | 'network-error' | 'bad-reply'; readonly detail?: string };

export interface SuggestResult extends SuggestMappingsResult {
  readonly llm: LlmOutcome;
}

/** Suggest mappings; consult the optional language model for uncertain fields. */
export async function suggestMappings(input: SuggestMappingsInput, options: SuggestOptions = {}): Promise<SuggestResult> {
  const base = suggestMappingsSync(input);
  const config = options.llm;
  const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!config || !doFetch) return { ...base, llm: { used: false, reason: 'not-configured' } };
  const threshold = config.threshold ?? LLM_DEFAULT_THRESHOLD;
  const uncertain = input.sourceFields.filter((_, i) => base.mappings[i]!.confidence < threshold);
  if (uncertain.length === 0) return { ...base, llm: { used: false, reason: 'no-uncertain-fields' } };

  const request = buildLlmRequest(config, { entityType: input.entityType, source: input.source, fields: uncertain });
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { controller.abort(); resolve('timeout'); }, config.timeoutMs); });
  let json: unknown;
  try {
    const response = await Promise.race([doFetch(request.url, { ...request.init, signal: controller.signal }), timeout]);
    if (response === 'timeout') return { ...base, llm: { used: false, reason: 'timeout' } };
    if (!response.ok) return { ...base, llm: { used: false, reason: 'http-error', detail: `status ${response.status}` } };
    const body = await Promise.race([response.json(), timeout]);
    if (body === 'timeout') return { ...base, llm: { used: false, reason: 'timeout' } };
    json = body;
  } catch (err) {
    if (controller.signal.aborted) return { ...base, llm: { used: false, reason: 'timeout' } };
    const reason = err instanceof SyntaxError ? 'bad-reply' : 'network-error';
    return { ...base, llm: { used: false, reason, detail: err instanceof Error ? err.message : String(err) } };
  } finally {
    clearTimeout(timer);
  }

  const parsed = parseLlmResponse(json, input.entityType, new Set(uncertain.map((f) => f.name)));
  if (!parsed.ok) return { ...base, llm: { used: false, reason: 'bad-reply', detail: parsed.reason } };
  const merged = mergeLlmSuggestions(base.mappings, parsed.suggestions, config.model, threshold);
  const mappings = merged.mappings.map((m, i) => (merged.changed.has(m.sourceField) ? withTransform(input, i, m, merged.mappings) : m));
  return { mappings, llm: { used: true, fields: uncertain.length } };
}

function withTransform(input: SuggestMappingsInput, i: number, m: MappingSuggestion, all: readonly MappingSuggestion[]): MappingSuggestion {
  if (m.targetField === null) return m;
  const countryIndex = all.findIndex((x) => x.targetField === 'country');
  const country = input.defaultCountry ?? (countryIndex >= 0 ? dominantCountry(profileValues(input.sourceFields[countryIndex]!.samples)) : undefined);
  const t = suggestTransform(input.entityType, m.targetField, profileValues(input.sourceFields[i]!.samples), country);
  return t.transform ? { ...m, transform: t.transform } : m;
}
