// Spawn the built judge-test binary without blocking the event loop (the simulated
// server runs in the same process as the test).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/judge-test.js', import.meta.url));

/**
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string | undefined>, timeoutMs?: number }} opts
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runCli(args, opts) {
  return new Promise((resolve, reject) => {
    // A clean environment: no real keys or endpoints leak into tests.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...(opts.env ?? {}) };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
