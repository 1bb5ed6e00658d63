// A provider's batch API behind one small interface: submit requests, poll a batch, read its
// results as provider answers (about half the price of live calls). Each provider with one
// implements it in its own file (openai-batch.ts, anthropic-batch.ts) and names it in the table.
import type { ChatMessage, ProviderName, ResolvedJudge } from '../types.js';
import { fromSdkError, type ProviderAnswer } from './provider.js';

export interface BatchRequest {
  /** The cache key of the request (hex sha256): unique, and valid as either API's custom_id. */
  customId: string;
  judge: ResolvedJudge;
  messages: ChatMessage[];
}

export interface BatchStatus {
  ended: boolean;
  /** The provider's word for the state (in_progress, completed, ended, expired, ...). */
  state: string;
  done: number;
  failed: number;
  total: number;
}

/** A result per custom_id: an answer, or why there is none. */
export type BatchResults = Map<string, { answer: ProviderAnswer } | { error: string }>;

export interface BatchApi {
  /** Submit; `tag` goes into the batch's metadata where the API keeps one. Returns the batch id. */
  submit(requests: readonly BatchRequest[], tag: string): Promise<string>;
  /** The id of a batch submitted with this tag, if the provider can say (else undefined). */
  find(tag: string): Promise<string | undefined>;
  status(id: string): Promise<BatchStatus>;
  results(id: string): Promise<BatchResults>;
}

export interface BatchEndpoint {
  provider: ProviderName;
  baseURL?: string;
}

/** Runs SDK calls, translating their errors into the runner's provider-neutral ones. */
export function translated(sdkName: string, endpoint: string) {
  return async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (err) {
      throw fromSdkError(err, sdkName, endpoint);
    }
  };
}
