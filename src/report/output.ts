// Where a file reporter's text goes: its --outputFile (written whole or not at all), else stdout.
import { writeFileAtomic } from '../io/atomic-write.js';

export interface ReportTarget {
  outputFile?: string;
  out?: NodeJS.WritableStream;
}

export function emitReport(target: ReportTarget, text: string): void {
  if (target.outputFile) writeFileAtomic(target.outputFile, text);
  else (target.out ?? process.stdout).write(text);
}
