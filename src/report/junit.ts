// JUnit XML: one <testsuite> per suite, one <testcase> per threshold; failures carry the
// numbers and the misaligned items, so a pipeline's test tab explains itself. The output
// keeps to the JUnit schema Jenkins and most parsers follow (test/fixtures/junit/junit.xsd).
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { relativeTo } from '../errors.js';
import { emitReport } from './output.js';
import type { Reporter, RunStats, SuiteResult } from '../types.js';
import { ceilingLine, formatMetric, formatThreshold, itemLine, misaligned, optimizeOutcome, plainText, searchCostText, thresholdName } from './format.js';

// The package's typings describe its CommonJS default export as a namespace; at run time it is the builder.
const builder = junitReportBuilder as unknown as Builder;

export function toJunitXml(results: SuiteResult[], cwd: string, maxItems = 20): string {
  const report = builder.newBuilder().name('judge-test');
  // The library writes <skipped/> without a message: each one's message, in document order.
  const skipMessages: string[] = [];
  for (const r of results) {
    const file = relativeTo(cwd, r.suite.file);
    // Jenkins and GitLab identify a case by classname + name: the suite's path without its
    // extension, and for a view of a multi-criteria suite the criterion before the name.
    const className = file.replace(/\.ya?ml$/i, '');
    const view = r.suite.criterion !== undefined ? `${r.suite.criterion} › ` : r.suite.combined ? 'all criteria › ' : '';
    const testCase = (name: string) => suite.testCase().className(className).name(plainText(view + name));
    const skip = (name: string, message: string) => {
      testCase(name).skipped().standardOutput(cdataText(`skipped: ${message}`));
      skipMessages.push(plainText(message));
    };
    const suite = report
      .testSuite()
      .name(plainText(r.suite.name))
      .time(r.durationMs / 1000)
      .property('file', file)
      .property('judge', r.suite.judge.id)
      .property('provider', r.suite.judge.provider)
      .property('model', r.suite.judge.model ?? '')
      .property('items', String(r.suite.items.length));
    if (r.suite.unlabeledItems) suite.property('unlabeled_items', String(r.suite.unlabeledItems));
    if (r.optimization) suite.property('optimize.search_cost', searchCostText(r.optimization)).property('optimize.outcome', optimizeOutcome(r.optimization));
    // Every defined metric with its interval and n, so a pipeline's test view shows them all.
    for (const [name, m] of Object.entries(r.metrics)) {
      if (m.value !== null) suite.property(`metric.${name}`, `${formatMetric(name, m).slice(name.length + 1)} (n=${m.n})`);
    }
    if (r.status === 'skipped') {
      skip('suite', r.message ?? 'skipped');
      continue;
    }
    if (r.suite.loadError) {
      testCase('load the suite file').error(plainText(r.message ?? 'error'), 'ConfigError');
      continue;
    }
    if (r.status === 'error') {
      testCase('judge every item').error(plainText(r.message ?? 'error'), 'ProviderError', cdataText(errorBody(r)));
    }
    const details = cdataText(failureBody(r, cwd, maxItems));
    for (const t of r.thresholds) {
      const name = `${thresholdName(t)} ${t.op} ${t.target}${t.on === 'estimate' ? '' : ` (${t.on})`}`;
      // Whatever fails the run is a failure with its message; a skip is only what does not
      // (an advisory check: a drift check with no history yet, a panel member's threshold).
      if (t.status !== 'passed' && t.advisory) skip(name, formatThreshold(t));
      else if (t.status === 'insufficient') testCase(name).failure(plainText(formatThreshold(t)), 'InsufficientEvidence').stacktrace(details);
      else if (t.status === 'failed') testCase(name).failure(plainText(formatThreshold(t)), 'ThresholdFailed').stacktrace(details);
      else testCase(name);
    }
    if (r.thresholds.length === 0 && r.status !== 'error') testCase('judge every item (no thresholds)');
  }
  // junit-report-builder writes a `skipped` count on <testsuites>, which the schema does not allow.
  const xml = report.build().replace(/^(<testsuites\b[^>]*?) skipped="\d+"/m, '$1');
  return withSkipMessages(xml, skipMessages);
}

/**
 * Puts each skip's message on its <skipped/> element, in document order. Only markup is
 * touched: CDATA sections (where item text goes) are passed over, and our CDATA never holds "]]>".
 */
function withSkipMessages(xml: string, messages: string[]): string {
  let next = 0;
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part : part.replace(/<skipped\/>/g, () => `<skipped message="${xmlAttribute(messages[next++] ?? 'skipped')}"/>`)))
    .join('');
}

function xmlAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

/**
 * Text for a CDATA section: the library (xmlbuilder) splits only the first "]]>" in a
 * section, so a second one would end it early and break the XML: we space them all out.
 */
function cdataText(s: string): string {
  return plainText(s).replace(/]]>/g, ']] >');
}

function failureBody(r: SuiteResult, cwd: string, maxItems: number): string {
  const file = relativeTo(cwd, r.suite.file);
  const lines = [`suite: ${r.suite.name}`, ...r.thresholds.map((t) => `${t.status === 'passed' ? 'ok  ' : t.status === 'insufficient' ? '??  ' : 'FAIL'} ${formatThreshold(t)}  (${file}:${t.source.line})`)];
  const ceiling = ceilingLine(r);
  if (ceiling) lines.push(ceiling);
  for (const g of misaligned(r)) {
    lines.push('', `${g.title} (${g.items.length}):`);
    for (const i of g.items.slice(0, maxItems)) lines.push(`  ${itemLine(i, 400)}`);
    if (g.items.length > maxItems) lines.push(`  … ${g.items.length - maxItems} more`);
  }
  return lines.join('\n');
}

function errorBody(r: SuiteResult): string {
  return r.items.filter((i) => i.outcome === 'error').map((i) => i.verdict.error ?? '').join('\n');
}

export class JunitReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], _stats: RunStats): void {
    const xml = toJunitXml(results, this.opts.cwd) + '\n';
    emitReport(this.opts, xml, 'junit');
  }
}
