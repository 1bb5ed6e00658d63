// `judge-test init`: a working example project — a code judge, a suite with labeled anchor
// items, a config file — that runs with no API key. It never overwrites a file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/** The YAML language server reads the schema from this comment (paths from the file's folder). */
const schema = (name: string, up: string) => `# yaml-language-server: $schema=${up}node_modules/judge-test/dist/schemas/${name}.schema.json\n`;

const ITEMS = [
  ['What is the capital of France?', 'Paris.', 'pass', ''],
  ['What is the capital of Australia?', 'Sydney.', 'fail', 'Canberra is the capital.'],
  ['How many legs does a spider have?', 'Eight.', 'pass', ''],
  ['How many legs does a spider have?', 'Spiders are fascinating creatures.', 'fail', 'Does not answer.'],
  ['What is 12 times 12?', '144', 'pass', ''],
  ['What is 12 times 12?', '124', 'fail', 'Arithmetic error.'],
  ['Who wrote Hamlet?', 'William Shakespeare.', 'pass', ''],
  ['Who wrote Hamlet?', 'Probably Marlowe, or someone.', 'fail', 'Wrong and hedged.'],
  ['What gas do plants absorb?', 'Carbon dioxide.', 'pass', ''],
  ['What gas do plants absorb?', 'Oxygen.', 'fail', 'Plants absorb CO2.'],
  ['When did Apollo 11 land on the Moon?', 'In 1969.', 'pass', ''],
  ['When did Apollo 11 land on the Moon?', 'I am not sure.', 'fail', 'No answer.'],
] as const;

export const INIT_FILES: Record<string, string> = {
  'judges/example.yaml': `${schema('judge', '../')}# A code judge: judges/example.mjs grades each item, so this example needs no API key.
# For a model judge: provider: openai (or anthropic), model: gpt-4o-mini, and a rubric.
id: example
provider: module
path: ./example.mjs
scale: binary
rubric: Pass the answer only if it is factually correct and answers the question asked.
`,
  'judges/example.mjs': `// A deliberately simple code judge: fail answers that hedge or dodge, pass the rest.
// Returns {verdict, reason}; the item's fields (input, output, ...) are the argument.
const DODGES = /not sure|probably|fascinating|or someone/i;

export default function judge({ output }) {
  return DODGES.test(output)
    ? { verdict: 'fail', reason: 'the answer hedges or dodges the question' }
    : { verdict: 'pass', reason: 'the answer is direct' };
}
`,
  'calibration-suites/example.yaml': `${schema('suite', '../')}suite: example answers are correct
judge: ../judges/example.yaml
items: ./data/example.jsonl
# Twelve anchors are a start: add more (30+) and gate on intervals, e.g. { min: 0.6, on: ci_low }.
min_items: 5
thresholds:
  accuracy: ">= 0.6"
  fp_rate: { max: 0.5 }
`,
  'calibration-suites/data/example.jsonl':
    ITEMS.map(([input, output, label, notes], i) => JSON.stringify({ id: `q${i + 1}`, input, output, label, ...(notes ? { notes } : {}) })).join('\n') + '\n',
  'judge-test.config.mjs': `// judge-test settings; flags override them. With judge-test installed you can write
//   import { defineConfig } from 'judge-test'; export default defineConfig({ ... });
export default {
  dir: 'calibration-suites',
  reporters: ['default'],
  concurrency: 8,
};
`,
};

/** Write the example project into `cwd`; refuse, writing nothing, if any file exists. */
export function initProject(cwd: string): string[] {
  const existing = Object.keys(INIT_FILES).filter((f) => existsSync(join(cwd, f)));
  if (existing.length > 0) {
    throw new ConfigError(`init: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written (init never overwrites)`);
  }
  for (const [file, content] of Object.entries(INIT_FILES)) writeFileAtomic(join(cwd, file), content);
  return Object.keys(INIT_FILES);
}
