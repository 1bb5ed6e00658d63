// The JSON the judge must answer with, as a JSON Schema: sent as OpenAI's structured-output
// format and Anthropic's forced tool, and part of every cache key.
import type { ResolvedJudge, Scale } from '../types.js';

/** JSON Schema of the judge's answer: one verdict, or (criteria) an object of verdicts. */
export function answerSchema(judge: ResolvedJudge): Record<string, unknown> {
  if (!judge.criteria) return verdictSchema(judge.scale);
  const properties = Object.fromEntries(judge.criteria.map((c) => [c.name, verdictValueSchema(c.scale)]));
  return {
    type: 'object',
    properties: { reason: { type: 'string' }, verdicts: { type: 'object', properties, required: judge.criteria.map((c) => c.name), additionalProperties: false } },
    required: ['reason', 'verdicts'],
    additionalProperties: false,
  };
}

/** The schema of one verdict value on a scale. */
function verdictValueSchema(scale: Scale): Record<string, unknown> {
  return scale.kind === 'binary'
    ? { type: 'string', enum: ['pass', 'fail'] }
    : scale.kind === 'ordinal'
      ? { type: 'integer', enum: Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i) }
      : { type: 'string', enum: scale.labels };
}

/** JSON Schema of the answer, for providers with structured output. */
function verdictSchema(scale: Scale): Record<string, unknown> {
  return {
    type: 'object',
    properties: { reason: { type: 'string' }, verdict: verdictValueSchema(scale) },
    required: ['reason', 'verdict'],
    additionalProperties: false,
  };
}
