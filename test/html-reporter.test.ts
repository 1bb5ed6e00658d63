// The html reporter in a real browser (Debian's chromium, driven by playwright-core):
// hostile item text renders as text, nothing runs, search filters the items.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/report/html.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCRIPT = '<script>window.__pwned = 1</script>';
const IMG = '"><img src=x onerror="window.__pwned = 2">';

function project() {
  const items = Array.from({ length: 12 }, (_, i) => ({
    id: i === 0 ? `evil${IMG}` : `q${i}`,
    input: i === 1 ? SCRIPT : `question ${i}`,
    output: i === 2 ? IMG : `answer ${i}`,
    label: i % 2 ? 'fail' : 'pass',
    ...(i === 3 ? { notes: `note ${SCRIPT}` } : {}),
  }));
  return makeProject({
    'calibration-suites/s.yaml': `suite: suite ${IMG.replace(/"/g, '')}\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.5"\n`,
    'calibration-suites/items.jsonl': items.map((it) => JSON.stringify(it)).join('\n'),
    'calibration-suites/v.jsonl': items.map((it, i) => JSON.stringify({ id: it.id, verdict: i < 3 ? 'fail' : it.label, reason: i === 4 ? SCRIPT : 'ok', confidence: 0.7 + (i % 3) / 10 })).join('\n'),
  });
}

describe('html reporter', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = project();
    const r = await runCli(['--reporter', 'html', '--outputFile', 'report.html'], { cwd: dir });
    expect(r.stderr).toBe('');
    file = join(dir, 'report.html');
  });

  it('is one self-contained file with every user text escaped', () => {
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/https?:\/\//); // nothing to fetch at view time
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(escapeHtml(SCRIPT));
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  describe.skipIf(!hasChromium)('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });
    afterAll(() => browser?.close());

    it('shows hostile text as text, runs none of it, and filters items by search', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      const table = page.locator('table.items');
      await expect(table.locator('tbody tr').count()).resolves.toBe(12);
      expect(await table.innerText()).toContain(SCRIPT);
      expect(await table.innerText()).toContain(IMG);
      await page.fill('input[type=search]', 'question 7');
      await expect(table.locator('tbody tr:not([hidden])').count()).resolves.toBe(1);
      await page.fill('input[type=search]', '');
      await expect(table.locator('tbody tr:not([hidden])').count()).resolves.toBe(12);
      expect(await page.locator('svg[aria-label="reliability diagram"] circle').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(existsSync(join(dir, 'report.png'))).toBe(true);
      if (process.env.JUDGE_TEST_KEEP_SCREENSHOT) {
        const { copyFileSync } = await import('node:fs');
        copyFileSync(join(dir, 'report.png'), process.env.JUDGE_TEST_KEEP_SCREENSHOT);
      }
    });
  });
});
