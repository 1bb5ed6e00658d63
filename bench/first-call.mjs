// What a live run's first call costs before any network, in a fresh process each time:
// Node's undici loading when the SDK first touches `Headers`, importing the OpenAI SDK, and
// its first request through the providers' fetch (dist/providers/http-fetch.js) against the
// simulated server vs a warm second one.
// Usage: node bench/first-call.mjs [runs=5]     (needs `npm run build`)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimServer } from '../test/helpers/sim-server.mjs';

if (process.argv[2] === '--child') {
  const url = process.argv[3];
  const t0 = performance.now();
  void globalThis.Headers; // a lazy getter: loads undici
  const t1 = performance.now();
  const { default: OpenAI } = await import('openai');
  const t2 = performance.now();
  const { httpFetch } = await import('../dist/providers/http-fetch.js');
  const client = new OpenAI({ apiKey: 'x', baseURL: url, maxRetries: 0, fetch: httpFetch });
  const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
  await client.chat.completions.create(body);
  const t3 = performance.now();
  await client.chat.completions.create(body);
  const t4 = performance.now();
  process.stdout.write(JSON.stringify({ undici: t1 - t0, sdkImport: t2 - t1, firstRequest: t3 - t2, warmRequest: t4 - t3 }));
} else {
  const runs = Number(process.argv[2] ?? 5);
  const sim = await startSimServer();
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', sim.openaiBaseURL]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => child.on('close', r));
    rows.push(JSON.parse(out));
  }
  await sim.close();
  const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs / 2)].toFixed(1);
  console.log(`first call (${runs} fresh processes, median ms): undici load ${median('undici')}, OpenAI SDK import ${median('sdkImport')}, first request ${median('firstRequest')}, warm request ${median('warmRequest')}`);
}
