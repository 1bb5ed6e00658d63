// Runs the judge-test CLI in this process and prints its peak resident memory (KiB) to
// stderr as "maxrss=<n>": the benchmarks' memory figure.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
