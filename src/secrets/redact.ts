// Secrets never reach caches, reports, logs or error messages: scrub them from any text we print.
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;
const KEY_SHAPES = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,})\b/g;

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_NAME.test(name)) out = out.split(value).join('***');
  }
  return out.replace(KEY_SHAPES, (m) => `${m.slice(0, 3)}***`);
}
