// Secrets never reach caches, reports, logs or error messages: scrub them from any text we
// print or store. Three nets, each catching what the others cannot: the values of secret
// variables (any shape), key-shaped strings nobody set (sk-…), and credentials in URLs.
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;
const KEY_SHAPES = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,})\b/g;
/** `scheme://user:password@` (or `scheme://token@`): the userinfo of a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

const secretsOf = new WeakMap<NodeJS.ProcessEnv, string[]>();

/** The values of the environment's secret variables (by name), longest first; computed once per env. */
function secretValues(env: NodeJS.ProcessEnv): string[] {
  let values = secretsOf.get(env);
  if (!values) {
    values = Object.entries(env)
      .filter(([name, value]) => value && value.length >= 8 && SECRET_NAME.test(name))
      .map(([, value]) => value!)
      .sort((a, b) => b.length - a.length);
    secretsOf.set(env, values);
  }
  return values;
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const value of secretValues(env)) if (out.includes(value)) out = out.split(value).join('***');
  return out.replace(KEY_SHAPES, (m) => `${m.slice(0, 3)}***`).replace(URL_CREDENTIALS, '$1***@');
}

/** Every string inside a value (an answer's structured data), redacted; other values as they are. */
export function redactDeep<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  if (typeof value === 'string') return redactSecrets(value, env) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, env)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, env)])) as T;
  return value;
}
