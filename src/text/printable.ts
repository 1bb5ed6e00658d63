// Text from files (suite names, item ids, judge reasons, notes, provider errors) on a
// terminal or a CI log: it must not move the cursor, clear the screen, write the clipboard,
// open links (ESC sequences), overwrite a line (a lone CR), or start a workflow command that
// a CI runner executes (a line beginning "::"). Every line the tool prints passes user text
// through here.

/** Control characters, C0 and C1, except tab: escaped visibly (`\n`, `\r`, `\x1b`). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text
    .replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .replace(/^(\s*):(?=:)/, '$1\\:');
}

/** Multi-line text for an interactive terminal (annotate): its line breaks kept, every other control character escaped. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
