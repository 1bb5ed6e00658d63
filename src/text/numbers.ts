// Numbers as people read them in reports and logs.

/** 12345 -> "12,345" (toLocaleString would load ICU's number formats: ~15 ms at exit). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
