// The HTML report of a 10,000-item suite: its file size, and in Chromium the time to first
// paint, to the items' first page, and to filter every item by a confusion-matrix cell.
// Usage: npm run build && node bench/html-report.mjs [items=10000] [runs=5]
// Needs /usr/bin/chromium (or CHROMIUM_PATH).
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runCli } from '../test/helpers/cli.mjs';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'jt-html-bench-'));
mkdirSync(join(dir, 'calibration-suites'));
const text = (i, what) => `${what} ${i}: ` + 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4);
const items = Array.from({ length: n }, (_, i) => ({ id: `item-${i}`, input: text(i, 'question'), output: text(i, 'answer'), labels: { ana: i % 3 ? 'pass' : 'fail', ben: i % 5 ? 'pass' : 'fail', cy: i % 3 ? 'pass' : 'fail' }, notes: i % 7 === 0 ? 'a note from the annotators' : undefined }));
writeFileSync(join(dir, 'calibration-suites/big.jsonl'), items.map((x) => JSON.stringify(x)).join('\n'));
writeFileSync(join(dir, 'calibration-suites/v.jsonl'), items.map((x, i) => JSON.stringify({ id: x.id, verdict: i % 4 ? 'pass' : 'fail', reason: `the judge's reason for item ${i}, a sentence or two long as judges write them.`, confidence: 0.5 + (i % 50) / 100 })).join('\n'));
writeFileSync(join(dir, 'calibration-suites/big.yaml'), 'suite: big\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./big.jsonl\nbootstrap: {resamples: 200}\nthresholds:\n  kappa: ">= 0.5"\n  fp_rate: "<= 0.2"\n');
const r = await runCli(['--no-history', '--reporter', 'html', '--outputFile', 'r.html'], { cwd: dir, timeoutMs: 300_000 });
if (r.code === null || r.code > 1) throw new Error(`judge-test exited ${r.code}: ${r.stderr}`);
const file = join(dir, 'r.html');
const size = statSync(file).size;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const samples = { paint: [], items: [], filter: [] };
for (let k = 0; k < runs; k++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('#items-0 article');
  const t = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    items: performance.now(),
  }));
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('button.cell[data-h="1"][data-j="0"]').click();
  await page.waitForFunction(() => document.getElementById('items-note-0').textContent.includes('cell:'));
  const t1 = await page.evaluate(() => performance.now());
  samples.paint.push(t.paint);
  samples.items.push(t.items);
  samples.filter.push(t1 - t0);
  await page.close();
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${n} items: report ${(size / 1024 / 1024).toFixed(1)} MiB; median of ${runs} loads in Chromium: first contentful paint ${median(samples.paint).toFixed(0)} ms, first page of items shown by ${median(samples.items).toFixed(0)} ms, filtering by a confusion cell ${median(samples.filter).toFixed(0)} ms`);
