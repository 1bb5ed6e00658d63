// Adding up tokens and dollars as verdicts arrive.
import type { Spend, Usage } from '../types.js';
import { costOf, priceOf, type Price } from './prices.js';

export function emptySpend(): Spend {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, usd: 0 };
}

/** Add one call's usage; the dollars become unknown (null) once an unpriced model is used. */
export function addSpend(spend: Spend, usage: Usage, model: string, prices: Record<string, Price>): void {
  spend.inputTokens += usage.inputTokens;
  spend.outputTokens += usage.outputTokens;
  spend.cachedInputTokens += usage.cachedInputTokens ?? 0;
  const price = priceOf(model, prices);
  spend.usd = spend.usd === null || !price ? null : spend.usd + costOf(usage, price);
}

/** A cost estimate before calling: input ≈ prompt characters / 4, output ≈ 80 tokens a call. */
export function estimateCall(promptChars: number, price: Price): number {
  return costOf({ inputTokens: Math.ceil(promptChars / 4), outputTokens: 80 }, price);
}

/** Add one tally of spending into another (unpriced if either is). */
export function sumSpend(into: Spend, from: Spend): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.usd = into.usd === null || from.usd === null ? null : into.usd + from.usd;
}
