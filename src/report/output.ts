// Where a file reporter's text goes: its --outputFile (written whole or not at all), else stdout.
import { writeReportFile } from '../io/atomic-write.js';

export { appendReportFile } from '../io/atomic-write.js';

export interface ReportTarget {
  outputFile?: string;
  out?: NodeJS.WritableStream;
}

/** `what`: the report's name in the error when its file cannot be written ("json"). */
export function emitReport(target: ReportTarget, text: string, what: string): void {
  if (target.outputFile) writeReportFile(target.outputFile, text, what);
  else (target.out ?? process.stdout).write(text);
}
