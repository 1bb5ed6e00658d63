#!/usr/bin/env node
// The CLI entry: a thin shim over the compiled engine (built by `npm install` via `prepare`):
// the bundle in dist/bundle/ (faster to start), else the plain compiled modules in dist/cli/.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('judge-test: dist/ is missing; run `npm install` (or `npm run build`) in the judge-test checkout\n');
  process.exit(2);
}
// `judge-test | head` closes the pipe early: that is not an error, and the run goes on to its
// end (reports to files, history, the cache) so that the exit code is still the run's.
let stdoutClosed = false;
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
    stdoutClosed = true;
    return;
  }
  throw err;
});
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Every report is written and awaited. With nothing left in our output buffers, exit now
// rather than wait for idle keep-alive sockets and a full heap teardown (tens of ms).
if (stdoutClosed || (process.stdout.writableLength === 0 && process.stderr.writableLength === 0)) process.exit(code);
process.exitCode = code;
