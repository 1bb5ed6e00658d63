import type { SourceLocation } from './types.js';

/** Bad user input: one clear line, exit code 2, nothing run. */
export class ConfigError extends Error {
  constructor(message: string, readonly location?: Partial<SourceLocation>) {
    super(message);
    this.name = 'ConfigError';
  }

  /** "file:line:col: message" — the shape editors and terminals make clickable. */
  format(cwd = process.cwd()): string {
    const loc = this.location;
    if (!loc?.file) return this.message;
    const rel = relativeTo(cwd, loc.file);
    const pos = loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : '';
    return `${rel}${pos}: ${this.message}`;
  }
}

/** --max-cost: the uncached calls a run would make are estimated to cost more than the budget. */
export class OverBudgetError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'OverBudgetError';
  }
}

export function relativeTo(cwd: string, file: string): string {
  if (file.startsWith(cwd + '/')) return file.slice(cwd.length + 1);
  return file;
}
