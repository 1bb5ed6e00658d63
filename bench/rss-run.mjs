// Runs the judge-test CLI in this process, from the same entry bin/judge-test.js uses (the
// bundle when built), and prints its peak resident memory (KiB) to stderr as
// "maxrss=<n>": the benchmarks' memory figure.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import((existsSync(bundled) ? bundled : new URL('../dist/cli/main.js', import.meta.url)).href);
const code = await main(process.argv.slice(2));
process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\n`);
// As bin/judge-test.js: exit as soon as the output is flushed.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
process.exitCode = code;
