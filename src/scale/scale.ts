// Normalize label values (human or judge) onto a judge's scale.
import type { Label, Scale } from '../types.js';

const PASS = new Set(['pass', 'passed', 'true', '1', 'accept', 'accepted']);
const FAIL = new Set(['fail', 'failed', 'false', '0', 'reject', 'rejected']);

export type Normalized = { ok: true; label: Label } | { ok: false; expected: string };

export function describeScale(scale: Scale): string {
  switch (scale.kind) {
    case 'binary':
      return 'pass/fail (also 1/0, true/false, accept/reject)';
    case 'ordinal':
      return `an integer from ${scale.min} to ${scale.max}`;
    case 'categorical':
      return `one of ${scale.labels.join(', ')}`;
  }
}

export function normalizeLabel(scale: Scale, raw: unknown): Normalized {
  const fail: Normalized = { ok: false, expected: describeScale(scale) };
  switch (scale.kind) {
    case 'binary': {
      if (typeof raw === 'boolean') return { ok: true, label: raw ? 'pass' : 'fail' };
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail;
      const s = String(raw).trim().toLowerCase();
      if (PASS.has(s)) return { ok: true, label: 'pass' };
      if (FAIL.has(s)) return { ok: true, label: 'fail' };
      return fail;
    }
    case 'ordinal': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (Number.isInteger(n) && n >= scale.min && n <= scale.max) return { ok: true, label: n };
      return fail;
    }
    case 'categorical': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail;
      const s = String(raw).trim();
      const exact = scale.labels.find((l) => l === s) ?? scale.labels.find((l) => l.toLowerCase() === s.toLowerCase());
      return exact === undefined ? fail : { ok: true, label: exact };
    }
  }
}

/** The labels of a scale in order: the rows and columns of its confusion matrix. */
export function scaleLabels(scale: Scale): Label[] {
  switch (scale.kind) {
    case 'binary':
      return ['pass', 'fail'];
    case 'ordinal':
      return Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
    case 'categorical':
      return [...scale.labels];
  }
}
