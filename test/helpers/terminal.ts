// A real terminal for interactive commands: a detached tmux session, keys sent in, the
// screen read back. The session stays 2 s after the command ends so its last words can be read.
import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export function terminal(command: string, cwd: string) {
  const session = `jt-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', cwd, `${command}; sleep 2`);
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  return {
    screen,
    keys: (...keys: string[]) => tmux('send-keys', '-t', session, ...keys),
    async waitFor(pattern: RegExp) {
      for (let i = 0; i < 100 && !pattern.test(screen()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(screen()).toMatch(pattern);
    },
    close: () => spawnSync('tmux', ['kill-session', '-t', session]),
  };
}
