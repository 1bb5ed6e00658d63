// Resolve a judge from its file (or an inline object in a suite) into a ResolvedJudge.
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { FewShotExample, Label, ResolvedJudge, Scale, SourceLocation } from '../types.js';
import { judgeSchema, type JudgeFile } from './schemas.js';
import { normalizeLabel } from '../scale/scale.js';
import { describeValue, parseYamlFile, validate } from '../io/yaml-source.js';

type Locate = (path: readonly PropertyKey[]) => SourceLocation;

export function loadJudgeFile(file: string, from?: SourceLocation): ResolvedJudge {
  const src = parseYamlFile(file, 'judge file', from);
  return resolveJudge(src.value, file, src.locate);
}

/** `file` is the file the judge is written in: its paths are relative to it. */
export function resolveJudge(value: unknown, file: string, locate: Locate): ResolvedJudge {
  const j: JudgeFile = validate(judgeSchema, value, locate, 'judge');
  if (j.provider === 'panel') return resolvePanel(j, file, locate);
  const criteria = j.criteria ? Object.entries(j.criteria).map(([name, sc]) => ({ name, scale: toScale(sc) })) : undefined;
  // A multi-criteria judge's own scale is its first criterion's; each suite view sets its own.
  const scale = criteria ? criteria[0]!.scale : toScale(j.scale!);
  const examples: FewShotExample[] = (j.examples ?? []).map((ex, i) => {
    const { verdict, reason, ...fields } = ex;
    const with_ = (e: FewShotExample) => (reason === undefined ? e : { ...e, reason });
    if (criteria) {
      if (verdict === null || typeof verdict !== 'object') throw new ConfigError(`examples[${i}].verdict: expected a label per criterion (${criteria.map((c) => c.name).join(', ')})`, locate(['examples', i, 'verdict']));
      const verdicts: Record<string, Label> = {};
      for (const c of criteria) {
        const raw = (verdict as Record<string, unknown>)[c.name];
        const n = normalizeLabel(c.scale, raw);
        if (!n.ok) throw new ConfigError(`examples[${i}].verdict.${c.name} ${describeValue(raw)}: expected ${n.expected}`, locate(['examples', i, 'verdict', c.name]));
        verdicts[c.name] = n.label;
      }
      return with_({ fields, verdict: verdicts[criteria[0]!.name]!, verdicts });
    }
    const n = normalizeLabel(scale, verdict);
    if (!n.ok) throw new ConfigError(`examples[${i}].verdict ${describeValue(verdict)}: expected ${n.expected}`, locate(['examples', i, 'verdict']));
    return with_({ fields, verdict: n.label });
  });
  const judge: ResolvedJudge = {
    id: j.id,
    provider: j.provider,
    rubric: j.rubric ?? '',
    examples,
    scale,
    ...(criteria ? { criteria } : {}),
    responseFormat: j.response_format ?? 'json_schema',
    samples: j.samples ?? 1,
    ...(j.tie ? { tie: j.tie } : {}),
    limits: { ...(j.concurrency ? { concurrency: j.concurrency } : {}), ...(j.rpm ? { rpm: j.rpm } : {}), ...(j.tpm ? { tpm: j.tpm } : {}) },
    file,
  };
  if (j.model !== undefined) judge.model = j.model;
  if (j.baseURL !== undefined) judge.baseURL = j.baseURL;
  if (j.temperature !== undefined) judge.temperature = j.temperature;
  if (j.top_p !== undefined) judge.topP = j.top_p;
  if (j.max_tokens !== undefined) judge.maxTokens = j.max_tokens;
  if (j.seed !== undefined) judge.seed = j.seed;
  if (j.template !== undefined) judge.template = j.template;
  if (j.confidence !== undefined) judge.confidence = j.confidence;
  if (j.path !== undefined) judge.path = resolve(dirname(file), j.path);
  return judge;
}

function toScale(s: NonNullable<JudgeFile['scale']>): Scale {
  if (s === 'binary') return { kind: 'binary' };
  if (s === 'pairwise') return { kind: 'categorical', labels: ['A', 'B', 'tie'], pairwise: true };
  if ('ordinal' in s) return { kind: 'ordinal', min: s.ordinal.min, max: s.ordinal.max };
  if ('pairwise' in s) return { kind: 'categorical', labels: s.pairwise.ties === false ? ['A', 'B'] : ['A', 'B', 'tie'], pairwise: true };
  return { kind: 'categorical', labels: s.categorical };
}

/** provider: panel — its members loaded (files relative to this one), one scale for all, and how their verdicts combine. */
function resolvePanel(j: JudgeFile, file: string, locate: Locate): ResolvedJudge {
  const members = j.members!.map((ref, i) => {
    const member = typeof ref === 'string' ? loadJudgeFile(resolve(dirname(file), ref), locate(['members', i])) : resolveJudge(ref, file, (p) => locate(['members', i, ...p]));
    if (member.provider === 'panel') throw new ConfigError('a panel member cannot be a panel itself', locate(['members', i]));
    if (member.criteria) throw new ConfigError(`panel member "${member.id}" has criteria: panels of multi-criteria judges are not supported yet`, locate(['members', i]));
    return member;
  });
  const scale = members[0]!.scale;
  const other = members.findIndex((m) => JSON.stringify(m.scale) !== JSON.stringify(scale));
  if (other >= 0) throw new ConfigError(`every panel member must have the same scale: "${members[other]!.id}" differs from "${members[0]!.id}"`, locate(['members', other]));
  if (j.scale !== undefined && JSON.stringify(toScale(j.scale)) !== JSON.stringify(scale)) throw new ConfigError("the panel's scale differs from its members'", locate(['scale']));
  const ids = members.map((m) => m.id);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0) throw new ConfigError(`two panel members have the id "${ids[dup]}": give each its own`, locate(['members', dup]));
  const combine = j.combine ?? (scale.kind === 'ordinal' ? 'mean' : 'majority');
  if (combine !== 'majority' && scale.kind !== 'ordinal') throw new ConfigError(`combine: ${combine} needs an ordinal scale; a ${scale.kind} panel combines by majority`, locate(['combine']));
  return { id: j.id, provider: 'panel', rubric: '', examples: [], scale, responseFormat: 'json_schema', samples: 1, limits: {}, file, panel: { members, combine } };
}
