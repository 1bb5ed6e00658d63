// The cache keys the current suites would ask for, per judge id (for `cache prune`).
import { createProvider } from '../providers/index.js';
import type { ResolvedSuite } from '../types.js';
import { planTask } from '../judge/evaluate-item.js';

export async function liveCacheKeys(suites: readonly ResolvedSuite[], env: NodeJS.ProcessEnv): Promise<Map<string, Set<string>>> {
  const keys = new Map<string, Set<string>>();
  for (const suite of suites) {
    if (suite.combined || suite.panel) continue; // no calls of its own
    const provider = await createProvider({ judge: suite.judge, env, timeoutMs: 60_000 });
    if (!provider.cacheable) continue;
    const set = keys.get(suite.judge.id) ?? new Set<string>();
    for (const item of suite.items) for (const key of planTask(suite.judge, provider, item).keys) set.add(key);
    keys.set(suite.judge.id, set);
  }
  return keys;
}
