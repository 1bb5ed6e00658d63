// Where a file reporter's text goes: its --outputFile (written whole or not at all), else stdout.
import { appendReportFile, writeReportFile } from '../io/atomic-write.js';
import { redactSecrets } from '../secrets/redact.js';

/**
 * A JSON report: secrets redacted in its string values only (a text-level pass could turn
 * a number that happens to contain a secret's digits into invalid JSON).
 */
export function emitJsonReport(target: ReportTarget, value: unknown, what: string): void {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v), 2) + '\n';
  if (target.outputFile) writeReportFile(target.outputFile, text, what);
  else (target.out ?? process.stdout).write(text);
}

/** Append to a shared file (the GitHub step summary), secrets redacted. */
export function appendReport(file: string, text: string, what: string): void {
  appendReportFile(file, redactSecrets(text), what);
}

export interface ReportTarget {
  outputFile?: string;
  out?: NodeJS.WritableStream;
}

/**
 * `what`: the report's name in the error when its file cannot be written ("json"). Secrets
 * are redacted here once more, whatever the report holds: a key can sit in the data itself.
 */
export function emitReport(target: ReportTarget, text: string, what: string): void {
  const safe = redactSecrets(text);
  if (target.outputFile) writeReportFile(target.outputFile, safe, what);
  else (target.out ?? process.stdout).write(safe);
}
