// The import rules of src/ (docs/architecture.md draws the same picture). `npm run lint:imports`
// checks them; `npm test` runs that first. Every part lists the parts it may import: an arrow not
// listed here is an error, and so is any cycle.

/** Each part of src/ and the parts below it that it may import (itself is always allowed). */
const PARTS = {
  types: [],
  text: [],
  errors: ['types'],
  secrets: [],
  io: ['types', 'errors'],
  github: ['types', 'secrets'],
  scale: ['types'],
  metrics: ['types'],
  cost: ['types'],
  cache: ['types', 'errors', 'io'],
  providers: ['types', 'errors', 'io'],
  history: ['types', 'errors', 'secrets', 'io', 'cache'],
  config: ['types', 'errors', 'io', 'scale', 'metrics', 'history', 'providers'],
  judge: ['types', 'errors', 'secrets', 'scale', 'cache', 'providers'],
  assert: ['types', 'text', 'errors', 'scale', 'metrics', 'cost', 'history'],
  embeddings: ['types', 'secrets', 'metrics', 'cache', 'providers', 'judge'],
  run: ['types', 'text', 'errors', 'cost', 'cache', 'providers', 'judge', 'assert', 'embeddings'],
  batch: ['types', 'errors', 'io', 'cost', 'cache', 'providers', 'judge'],
  shard: ['types', 'secrets', 'errors', 'io', 'config', 'assert'],
  optimize: ['types', 'text', 'errors', 'io', 'secrets', 'scale', 'metrics', 'cost', 'cache', 'providers', 'config', 'judge', 'assert', 'run'],
  report: ['types', 'text', 'secrets', 'errors', 'io', 'scale', 'metrics', 'history', 'shard'],
  scaffold: ['types', 'text', 'errors', 'io', 'scale', 'metrics'],
  settings: ['types', 'errors', 'cost', 'providers', 'config', 'judge', 'run', 'optimize', 'report'],
  cli: ['types', 'text', 'errors', 'secrets', 'io', 'github', 'scale', 'metrics', 'cost', 'cache', 'providers', 'history', 'config', 'judge', 'assert', 'run', 'batch', 'shard', 'optimize', 'report', 'scaffold', 'settings'],
  index: ['types', 'errors', 'scale', 'metrics', 'providers', 'history', 'config', 'run', 'optimize', 'report', 'settings'],
  vitest: ['types', 'errors', 'config', 'assert', 'run', 'report'],
};

// The parts form a stack: following the lists above from any part never comes back to it.
const visiting = new Set();
const checked = new Set();
function checkOneWay(part, path) {
  if (checked.has(part)) return;
  if (visiting.has(part)) throw new Error(`.dependency-cruiser.cjs: the parts' arrows make a cycle: ${[...path, part].join(' -> ')}`);
  if (!PARTS[part]) throw new Error(`.dependency-cruiser.cjs: "${path.at(-1)}" lists "${part}", which is not a part`);
  visiting.add(part);
  for (const below of PARTS[part]) checkOneWay(below, [...path, part]);
  visiting.delete(part);
  checked.add(part);
}
Object.keys(PARTS).forEach((part) => checkOneWay(part, []));

/** The path pattern of a part: a folder, or one file at the top of src/ (types.ts, errors.ts, index.ts). */
const FILE_PARTS = new Set(['types', 'errors', 'index', 'vitest']);
const pathOf = (part) => (FILE_PARTS.has(part) ? `^src/${part}\\.ts$` : `^src/${part}/`);

const layerRules = Object.entries(PARTS).map(([part, allowed]) => ({
  name: `${part}-imports`,
  comment: `${part} may import only: ${allowed.join(', ') || 'nothing of the project'}`,
  severity: 'error',
  from: { path: pathOf(part) },
  to: { path: '^src/', pathNot: [part, ...allowed].map(pathOf) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Imports flow one way: no file reaches itself again through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'part-is-listed',
      comment: 'Every file of src/ belongs to a part named in .dependency-cruiser.cjs (add the part and its arrows there).',
      severity: 'error',
      from: { path: '^src/', pathNot: Object.keys(PARTS).map(pathOf) },
      to: {},
    },
    {
      name: 'no-dev-dependencies',
      comment: 'Shipped code imports only runtime dependencies.',
      severity: 'error',
      from: { path: '^src/' },
      // Optional peers: vitest (only the judge-test/vitest entry point imports it) and Anthropic's
      // Bedrock and Vertex SDKs (only providers/anthropic.ts, lazily).
      to: { dependencyTypes: ['npm-dev'], pathNot: ['^node_modules/vitest/', '^node_modules/@anthropic-ai/(bedrock|vertex)-sdk/', '^node_modules/google-auth-library/'] },
    },
    {
      name: 'vitest-only-in-its-entry',
      comment: 'Only src/vitest.ts (the judge-test/vitest entry point) imports vitest.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/vitest\\.ts$' },
      to: { path: '^node_modules/vitest/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
