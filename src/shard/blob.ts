// The `blob` reporter: a shard's verdicts, to be merged by `judge-test --merge-reports`.
import { join } from 'node:path';
import { relativeTo } from '../errors.js';
import { writeReportFile } from '../io/atomic-write.js';
import { redactSecrets } from '../secrets/redact.js';
import type { Reporter, RunStats, SuiteResult, Verdict } from '../types.js';

export const BLOB_DIR = '.judge-test-reports';

export interface Blob {
  version: 2;
  /** "i/n", or null for an unsharded run. */
  shard: string | null;
  /** The run the shard belongs to: the same in every shard of one run (shard.ts runFingerprint). */
  run: string;
  /** Every suite file of the run, whether or not this shard judged any of its items. */
  files: string[];
  /** `name`: which view of a multi-criteria suite (they share the file); absent in older blobs. */
  suites: { file: string; name?: string; items: { id: string; verdict: Verdict }[] }[];
  stats: RunStats;
}

export class BlobReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; shard: string | null; run: { fingerprint: string; files: string[] }; outputFile?: string }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const blob: Blob = {
      version: 2,
      shard: this.opts.shard,
      run: this.opts.run.fingerprint,
      files: this.opts.run.files,
      suites: results
        .filter((r) => r.items.length > 0)
        .map((r) => ({ file: relativeTo(this.opts.cwd, r.suite.file), name: r.suite.name, items: r.items.map((i) => ({ id: i.item.id, verdict: i.verdict })) })),
      stats,
    };
    const name = this.opts.shard ? `blob-${this.opts.shard.replace('/', '-')}.json` : 'blob.json';
    writeReportFile(this.opts.outputFile ?? join(this.opts.cwd, BLOB_DIR, name), JSON.stringify(blob, (_key, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v)) + '\n', 'blob');
  }
}
