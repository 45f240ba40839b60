/** The field-mapping engine's public API (docs/mapping.md). */
export { suggestMappings, type SuggestOptions, type SuggestResult, type LlmOutcome } from './suggest.js';
export { suggestMappingsSync, MIN_SUGGEST_SCORE } from './engine.js';
export { suggestValueMapping, type ValueMappingInput, type ValueMappingResult, type ValueMappingSuggestion } from './value-mapping.js';
export {
  MAPPING_LIMITS, parseSuggestMappingRequest, parseSuggestValueMappingRequest, sourceFieldSchema, suggestMappingRequestSchema,
  suggestValueMappingRequestSchema, transformSchema, type SuggestMappingRequest,
} from './schema.js';
export { buildLlmRequest, parseLlmResponse, mergeLlmSuggestions, llmReplySchema, LLM_DEFAULT_THRESHOLD, LLM_MAX_CONFIDENCE, type LlmConfig, type FetchLike } from './llm.js';
export { FIELD_CATALOGUES } from './catalogues.js';
export type { CatalogueField, FieldCatalogue } from './catalogue.js';
export { profileValues, type ValueProfile, type ValueKind } from './detectors.js';
export { normalizeName } from './normalize.js';
export { jaroWinkler, trigramSimilarity, tokenSetSimilarity } from './similarity.js';
export type { SourceField, SampleValue, MemoryEntry, SuggestMappingsInput, MappingSuggestion, SuggestMappingsResult, Alternative, Transform } from './types.js';
