// The GitHub Action: action.yml's shape (inputs only through the environment), and the
// pull-request comment kept in place, against a local stand-in for GitHub's REST API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentBody, MARKER } from '../src/github/pr-comment.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const TOKEN = 'ghs_testtoken1234567890';

/** GitHub's issue-comment endpoints for one PR: list (paged, with a Link header), create, update; 403 when told to. */
function githubStandIn() {
  let comments: { id: number; body: string }[] = [];
  let next = 1000;
  let deny = false;
  const requests: { method: string; url: string; auth: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '' });
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Bad credentials' });
      if (deny && req.method !== 'GET') return send(403, { message: 'Resource not accessible by integration' });
      if (req.method === 'GET' && url.pathname === '/repos/acme/app/issues/7/comments') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const per = Number(url.searchParams.get('per_page') ?? 30);
        const slice = comments.slice((page - 1) * per, page * per);
        const more = page * per < comments.length;
        return send(200, slice, more ? { link: `<http://x/repos/acme/app/issues/7/comments?page=${page + 1}>; rel="next"` } : {});
      }
      if (req.method === 'POST' && url.pathname === '/repos/acme/app/issues/7/comments') {
        const c = { id: next++, body: JSON.parse(data).body as string };
        comments.push(c);
        return send(201, { ...c, html_url: `https://github.test/acme/app/pull/7#issuecomment-${c.id}` });
      }
      const m = /^\/repos\/acme\/app\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (req.method === 'PATCH' && m) {
        const c = comments.find((x) => x.id === Number(m[1]));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = JSON.parse(data).body;
        return send(200, { ...c, html_url: `https://github.test/acme/app/pull/7#issuecomment-${c.id}` });
      }
      send(404, { message: 'Not Found' });
    });
  });
  return {
    server,
    requests,
    get comments() {
      return comments;
    },
    reset(seed: { id: number; body: string }[] = [], denied = false) {
      comments = seed;
      deny = denied;
      requests.length = 0;
    },
  };
}

describe('the GitHub Action', () => {
  const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8'));

  it('is a composite action with the documented inputs and outputs, and splices no input into a script', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['suites', 'changed', 'reporters', 'max-cost', 'working-directory', 'args', 'install', 'comment', 'github-token']);
    expect(action.outputs).toEqual({
      success: expect.objectContaining({ value: '${{ steps.run.outputs.success }}' }),
      'report-path': expect.objectContaining({ value: '${{ steps.run.outputs.report-path }}' }),
      cost: expect.objectContaining({ value: '${{ steps.run.outputs.cost }}' }),
    });
    for (const step of action.runs.steps as { run?: string; uses?: string }[]) {
      // A `${{ }}` inside a script is code injection waiting for a branch name: only env may carry values.
      if (step.run) expect(step.run, step.run).not.toMatch(/\$\{\{/);
    }
    const uses = (action.runs.steps as { uses?: string }[]).map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(['actions/cache/restore@v4', 'actions/cache/save@v4', 'actions/upload-artifact@v4']);
    // The commands it runs exist.
    const runStep = (action.runs.steps as { id?: string; run: string }[]).find((s) => s.id === 'run')!.run;
    for (const flag of ['--reporter', '--outputFile.junit', '--outputFile.html', '--outputFile.markdown', '--outputFile.json', '--changed', '--max-cost']) expect(runStep).toContain(flag);
  });

  describe('the pull-request comment', () => {
    const gh = githubStandIn();
    let api: string;
    let dir: string;
    beforeAll(async () => {
      await new Promise<void>((done) => gh.server.listen(0, '127.0.0.1', done));
      api = `http://127.0.0.1:${(gh.server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((done) => gh.server.close(() => done())));
    beforeEach(() => {
      dir = makeProject({ 'summary.md': '## judge-test\n\n1 passed\n', 'event.json': JSON.stringify({ pull_request: { number: 7 } }) });
    });
    const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/app', GITHUB_API_URL: api, GITHUB_EVENT_PATH: join(dir, 'event.json') });

    it('creates one comment, then updates it in place, found on a later page, never a duplicate', async () => {
      gh.reset();
      const first = await runCli(['comment', 'summary.md'], { cwd: dir, env: env() });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^judge-test comment: created comment 1000 on pull request #7 \(https:\/\/github\.test\/acme\/app\/pull\/7#issuecomment-1000\)$/m);
      expect(gh.comments).toEqual([{ id: 1000, body: `${MARKER}\n## judge-test\n\n1 passed\n` }]);
      // 150 other comments come first: ours is on page 2.
      gh.reset([...Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `a reviewer's comment ${i}` })), { id: 1000, body: `${MARKER}\nold summary` }]);
      writeFileSync(join(dir, 'summary.md'), '## judge-test\n\n1 failed\n');
      const again = await runCli(['comment', 'summary.md'], { cwd: dir, env: env() });
      expect(again.stdout).toContain('judge-test comment: updated comment 1000 on pull request #7');
      expect(gh.comments).toHaveLength(151);
      expect(gh.comments.at(-1)!.body).toBe(`${MARKER}\n## judge-test\n\n1 failed\n`);
      expect(gh.requests.map((r) => `${r.method} ${r.url.replace(/\?.*page=(\d+).*/, '?page=$1')}`)).toEqual(['GET /repos/acme/app/issues/7/comments?page=1', 'GET /repos/acme/app/issues/7/comments?page=2', 'PATCH /repos/acme/app/issues/comments/1000']);
      // The same summary again: nothing to write.
      const same = await runCli(['comment', 'summary.md'], { cwd: dir, env: env() });
      expect(same.stdout).toContain('unchanged comment 1000');
      expect(gh.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    });

    it('without permission: a warning, exit 0, no token in the output; outside a pull request: no call', async () => {
      gh.reset([], true);
      const r = await runCli(['comment', 'summary.md'], { cwd: dir, env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('::warning::judge-test comment: creating the comment: HTTP 403 (Resource not accessible by integration) — give the workflow `permissions: pull-requests: write`');
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      gh.reset();
      writeFileSync(join(dir, 'event.json'), JSON.stringify({ ref: 'refs/heads/main' }));
      const push = await runCli(['comment', 'summary.md'], { cwd: dir, env: env() });
      expect(push.code).toBe(0);
      expect(push.stdout.trim()).toBe('judge-test comment: not a pull request event: no comment');
      expect(gh.requests).toHaveLength(0);
    });

    it('cuts a summary too long for a comment, and says so', () => {
      const body = commentBody('x'.repeat(70_000));
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body.startsWith(MARKER)).toBe(true);
      expect(body).toMatch(/the summary was cut to fit a comment: every detail is in the job summary and the report artifacts\.\n$/);
    });
  });
});
