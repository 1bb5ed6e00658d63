// One pull-request comment with the run's Markdown summary, kept up to date: found again by a
// hidden marker (every page of the PR's comments is searched), edited in place, created only
// when there is none. A token without the right permission is a warning, never a failure of
// the gate; the token never appears in a message.
import { redactSecrets } from '../secrets/redact.js';

export const MARKER = '<!-- judge-test: pull-request summary (updated in place) -->';
/** GitHub refuses a comment body over 65,536 characters. */
const MAX_BODY = 65_536;

export interface PrCommentTarget {
  /** https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  api: string;
  /** owner/name */
  repo: string;
  pr: number;
  token: string;
}

export type PrCommentOutcome = { action: 'created' | 'updated' | 'unchanged'; id: number; url?: string } | { action: 'denied' | 'failed'; message: string };

/** The comment's body: the marker, then the summary, cut (with a note) to fit GitHub's limit. */
export function commentBody(summary: string): string {
  const note = '\n\n… the summary was cut to fit a comment: every detail is in the job summary and the report artifacts.\n';
  const body = `${MARKER}\n${summary}`;
  return body.length <= MAX_BODY ? body : body.slice(0, MAX_BODY - note.length) + note;
}

export async function upsertPrComment(target: PrCommentTarget, summary: string, fetchImpl: typeof fetch = fetch): Promise<PrCommentOutcome> {
  const body = commentBody(summary);
  const headers = { authorization: `Bearer ${target.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json', 'user-agent': 'judge-test' };
  const base = `${target.api.replace(/\/+$/, '')}/repos/${target.repo}`;
  const request = async (method: string, url: string, payload?: unknown) => {
    const res = await fetchImpl(url, { method, headers, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}) });
    const text = await res.text();
    return { status: res.status, link: res.headers.get('link') ?? '', json: text ? (safeJson(text) as unknown) : null, text };
  };
  const refused = (status: number, what: string, text: string): PrCommentOutcome => {
    const reason = redactSecrets(messageOf(text), { GITHUB_TOKEN: target.token });
    const kind = status === 401 || status === 403 || status === 404 ? 'denied' : 'failed';
    return { action: kind, message: `${what}: HTTP ${status}${reason ? ` (${reason})` : ''}${kind === 'denied' ? ' — give the workflow `permissions: pull-requests: write`' : ''}` };
  };
  try {
    // Find ours on any page: a busy PR has more than one page of comments.
    let existing: { id: number; body: string } | undefined;
    for (let page = 1; page <= 50 && !existing; page++) {
      const r = await request('GET', `${base}/issues/${target.pr}/comments?per_page=100&page=${page}`);
      if (r.status !== 200 || !Array.isArray(r.json)) return refused(r.status, 'listing the pull request comments', r.text);
      const list = r.json as { id?: unknown; body?: unknown }[];
      const found = list.find((c) => typeof c.body === 'string' && c.body.includes(MARKER) && typeof c.id === 'number');
      if (found) existing = { id: found.id as number, body: found.body as string };
      if (!/rel="next"/.test(r.link) || list.length === 0) break;
    }
    if (existing) {
      if (existing.body === body) return { action: 'unchanged', id: existing.id };
      const r = await request('PATCH', `${base}/issues/comments/${existing.id}`, { body });
      if (r.status !== 200) return refused(r.status, 'updating the comment', r.text);
      return { action: 'updated', id: existing.id, ...urlOf(r.json) };
    }
    const r = await request('POST', `${base}/issues/${target.pr}/comments`, { body });
    if (r.status !== 201) return refused(r.status, 'creating the comment', r.text);
    return { action: 'created', id: (r.json as { id: number }).id, ...urlOf(r.json) };
  } catch (err) {
    return { action: 'failed', message: redactSecrets(`reaching ${target.api}: ${(err as Error).message}`, { GITHUB_TOKEN: target.token }) };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function messageOf(text: string): string {
  const j = safeJson(text) as { message?: unknown } | null;
  return typeof j?.message === 'string' ? j.message.slice(0, 200) : '';
}

function urlOf(json: unknown): { url?: string } {
  const url = (json as { html_url?: unknown } | null)?.html_url;
  return typeof url === 'string' ? { url } : {};
}
