// The html reporter in a real browser (Debian's chromium, driven by playwright-core):
// hostile item text renders as text, nothing runs, search filters the items.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/report/html.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
/** Screenshots the browser tests take, kept for a look (gitignored). */
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
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
    // Item text travels as JSON the page script renders with textContent; nothing in it can close the element.
    expect(html).toContain('\\u003cscript\\u003ewindow.__pwned = 1\\u003c/script\\u003e');
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

    /** A page that records console errors and uncaught exceptions. */
    async function open(url: string, viewport = { width: 1400, height: 900 }) {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      return { page, errors };
    }

    it('shows hostile text as text, runs none of it, and filters items by search', async () => {
      const { page, errors } = await open(pathToFileURL(file).href);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      const list = page.locator('#items-0');
      await expect(list.locator('article').count()).resolves.toBe(12);
      // The hostile text is there, as text, once the item's fields are opened.
      await page.locator('#items-0 details').evaluateAll((ds) => ds.forEach((d) => d.setAttribute('open', '')));
      expect(await list.innerText()).toContain(SCRIPT);
      expect(await list.innerText()).toContain(IMG);
      await page.fill('input[data-items="0"]', 'question 7');
      await expect(list.locator('article').count()).resolves.toBe(1);
      await page.fill('input[data-items="0"]', '');
      await expect(list.locator('article').count()).resolves.toBe(12);
      // The judge's mistakes come first, grouped by kind.
      expect(await list.locator('article .badge').allInnerTexts()).toEqual(['False negative', 'False negative', ...Array(10).fill('Agrees')]);
      expect(await page.locator('svg[aria-label^="reliability diagram"] circle').count()).toBeGreaterThan(0);
      // The reliability diagram has axes with ticks and each bin's count, and the ECE.
      expect(await page.locator('figure figcaption').innerText()).toMatch(/^ECE [\d.]+ over 12 items in \d+ bins/);
      // A deep link to an item (its id is hostile too) opens on it.
      const evilId = `evil${IMG}`;
      await page.goto(`${pathToFileURL(file).href}#s0/${encodeURIComponent(evilId)}`);
      const focused = () =>
        page.evaluate(() => {
          const active = (globalThis as unknown as { document: { activeElement: { id: string; className: string } | null } }).document.activeElement;
          return active ? { id: active.id, className: active.className } : null;
        });
      await expect(focused().then((e) => e?.id)).resolves.toBe(`s0/${evilId}`);
      // Keyboard: ↓ moves to the next item.
      await page.keyboard.press('ArrowDown');
      const next = await focused();
      expect(next?.className).toContain('item');
      expect(next?.id).not.toBe(`s0/${evilId}`);
      expect(errors).toEqual([]);
    });

    it('the bundled examples open on an overview that fits one screen (1400×900)', async () => {
      const ex = mkdtempSync(join(tmpdir(), 'jt-html-examples-'));
      for (const d of ['calibration-suites', 'judges']) cpSync(join(import.meta.dirname, '..', d), join(ex, d), { recursive: true });
      await runCli(['--no-history', '--reporter', 'html', '--outputFile', 'r.html'], { cwd: ex });
      const { page, errors } = await open(pathToFileURL(join(ex, 'r.html')).href);
      const box = await page.locator('#overview').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(900);
      expect(await page.locator('.overview svg.bullet').count()).toBeGreaterThanOrEqual(14);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'examples-overview.png') });
      expect(errors).toEqual([]);
    });

    it('filters the items by a confusion-matrix cell and the suites by status; no console errors; axe finds no serious violation', async () => {
      // Two suites, one failing: the examples' way of using the report.
      const two = makeProject({
        'calibration-suites/good.yaml': 'suite: good\njudge:\n  id: g\n  provider: recorded\n  path: ./g.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.5"\n',
        'calibration-suites/bad.yaml': 'suite: bad\njudge:\n  id: b\n  provider: recorded\n  path: ./b.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  kappa: ">= 0.9"\n',
        'calibration-suites/items.jsonl': Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `q${i}`, input: `question ${i}`, output: `answer ${i}`, label: i % 2 ? 'fail' : 'pass' })).join('\n'),
        'calibration-suites/g.jsonl': Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `q${i}`, verdict: i % 2 ? 'fail' : 'pass', reason: 'fine' })).join('\n'),
        'calibration-suites/b.jsonl': Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `q${i}`, verdict: i < 12 ? 'pass' : i % 2 ? 'fail' : 'pass', reason: 'lenient' })).join('\n'),
      });
      await runCli(['--no-history', '--reporter', 'html', '--outputFile', 'r.html'], { cwd: two });
      const { page, errors } = await open(pathToFileURL(join(two, 'r.html')).href);
      // Overview first, failed first; it fits one screen.
      expect(await page.locator('.overview tbody tr td:nth-child(1)').allInnerTexts()).toEqual(['✗ failed', '✓ passed']);
      const box = await page.locator('#overview').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(900);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'overview.png') });
      // Status chips: hiding "passed" hides its row and its section.
      await page.getByRole('button', { name: '✓ 1 passed' }).click();
      await expect(page.locator('section.suite:visible').count()).resolves.toBe(1);
      await expect(page.locator('.overview tbody tr:visible').count()).resolves.toBe(1);
      await page.getByRole('button', { name: '✓ 1 passed' }).click();
      await expect(page.locator('section.suite:visible').count()).resolves.toBe(2);
      // The failing suite (section 0): 6 false positives in the humans-fail × judge-pass cell.
      await page.locator('#s0').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'failing-suite.png'), fullPage: false });
      await page.locator('#s0 button.cell[data-h="1"][data-j="0"]').click();
      await expect(page.locator('#items-0 article').count()).resolves.toBe(6);
      expect(new Set(await page.locator('#items-0 article .badge').allInnerTexts())).toEqual(new Set(['False positive']));
      expect(await page.locator('#items-note-0').innerText()).toBe('Showing 6 of 6 matching (40 in all) · cell: humans fail, judge pass');
      await page.screenshot({ path: join(ARTIFACTS, 'filtered-items.png') });
      // Clicking it again shows every item.
      await page.locator('#s0 button.cell[data-h="1"][data-j="0"]').click();
      await expect(page.locator('#items-0 article').count()).resolves.toBe(40);
      // Kind chips.
      await page.locator('button[data-suite="0"][data-kind="fp"]').click();
      await expect(page.locator('#items-0 article').count()).resolves.toBe(6);
      // Accessibility: axe-core, no serious or critical violation.
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`);
      });
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
