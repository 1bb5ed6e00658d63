// `--judge-model a,b,provider:c`: each suite's judge varied by model without editing a file,
// one variant per model (`<suite> › <model>`), compared side by side like `judges:`.
import { ConfigError } from '../errors.js';
import { PROVIDERS } from '../providers/index.js';
import { PROVIDER_NAMES, type ProviderName, type ResolvedJudge, type ResolvedSuite } from '../types.js';

/** "gpt-4o" keeps the judge's provider; "anthropic:claude-3-5-haiku-latest" names another (promptfoo's provider:model). */
export function parseModelSpecs(list: string): { provider?: ProviderName; model: string }[] {
  const specs = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length === 0) throw new ConfigError('--judge-model expects a comma-separated list of models, e.g. gpt-4o-mini,gpt-4o,anthropic:claude-3-5-haiku-latest');
  return specs.map((spec) => {
    const colon = spec.indexOf(':');
    const head = colon > 0 ? spec.slice(0, colon) : '';
    if (colon > 0 && (PROVIDER_NAMES as readonly string[]).includes(head)) {
      const provider = head as ProviderName;
      if (!PROVIDERS[provider].callsModel) throw new ConfigError(`--judge-model: provider "${provider}" does not call a model`);
      return { provider, model: spec.slice(colon + 1) };
    }
    return { model: spec };
  });
}

/**
 * Every suite whose judge calls a model, once per model; the others (recorded verdicts, code
 * judges, multi-criteria views, suites already comparing judges) stay as they are and are named
 * in `skipped`. A variant keeps no baseline or history: it is an experiment, not the gate's record.
 */
export function modelVariants(suites: readonly ResolvedSuite[], specs: readonly { provider?: ProviderName; model: string }[]): { suites: ResolvedSuite[]; skipped: ResolvedSuite[] } {
  const out: ResolvedSuite[] = [];
  const skipped: ResolvedSuite[] = [];
  for (const s of suites) {
    if (s.loadError || !PROVIDERS[s.judge.provider].callsModel || s.criterion !== undefined || s.combined || s.panel || s.comparison) {
      out.push(s);
      if (!s.loadError) skipped.push(s);
      continue;
    }
    for (const spec of specs) {
      const judge: ResolvedJudge = { ...s.judge, model: spec.model };
      if (spec.provider && spec.provider !== s.judge.provider) {
        judge.provider = spec.provider;
        // Another provider's endpoint is its own: the judge's base URL does not carry over.
        delete judge.baseURL;
      }
      const variant = spec.provider ? `${spec.provider}:${spec.model}` : spec.model;
      const { baseline: _b, history: _h, baselineFile: _f, ...rest } = s;
      out.push({ ...rest, name: `${s.name} › ${variant}`, judge, comparison: { group: `${s.file}#${s.name}`, suite: s.name, variant, adhoc: true } });
    }
  }
  return { suites: out, skipped };
}
