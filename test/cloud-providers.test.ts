// Cloud endpoints: Azure OpenAI through the openai SDK's Azure client, and Google Gemini
// through its OpenAI-compatible endpoint (a baseURL recipe) — end to end against the local
// test server, checking what goes over the wire: URL, query, auth header, body.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

interface Call { api: string; url: string; headers: Record<string, string | undefined>; body: { model: string; response_format?: { type: string } } }

describe('cloud endpoints', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer((({ prompt }: { prompt: string }) => ({ verdict: prompt.includes('WRONG') ? 'fail' : 'pass', reason: 'checked' })) as never);
  });
  afterAll(() => sim.close());

  const suite = (judge: string) =>
    makeProject({
      'judges/j.yaml': judge,
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/j.yaml\nitems: [{id: a, output: "right", label: pass}, {id: b, output: "WRONG", label: fail}]\nmin_items: 2\nthresholds:\n  accuracy: ">= 0.5"\n',
    });

  it('azure-openai: the deployment in the path, the API version in the query, the key in api-key; then cached', async () => {
    const dir = suite('id: azure\nprovider: azure-openai\nmodel: gpt-4o-mini-prod   # the deployment\nscale: binary\nrubric: Pass correct answers.\n');
    const env = { AZURE_OPENAI_ENDPOINT: sim.url, AZURE_OPENAI_API_KEY: 'azure-key-1234567890' };
    sim.reset();
    const r = await runCli(['--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls = sim.calls as unknown as Call[];
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.url).toBe('/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21');
      expect(c.headers['api-key']).toBe('azure-key-1234567890');
      expect(c.headers.authorization).toBeUndefined();
      expect(c.body.response_format?.type).toBe('json_schema'); // structured output, as with OpenAI
    }
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.metrics.accuracy!.value).toBe(1);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).not.toContain('azure-key-1234567890');
    // Cached per endpoint: no call the second time.
    sim.reset();
    expect((await runCli([], { cwd: dir, env })).code).toBe(0);
    expect(sim.calls).toHaveLength(0);
  });

  it('azure-openai with a Microsoft Entra ID token and OPENAI_API_VERSION; without an endpoint or credentials it says what to set', async () => {
    const dir = suite('id: azure\nprovider: azure-openai\nmodel: dep\nscale: binary\nrubric: Pass correct answers.\n');
    sim.reset();
    const r = await runCli([], { cwd: dir, env: { AZURE_OPENAI_ENDPOINT: sim.url, AZURE_OPENAI_AD_TOKEN: 'entra-token-abcdefgh', OPENAI_API_VERSION: '2025-01-01-preview' } });
    expect(r.code).toBe(0);
    const c = (sim.calls as unknown as Call[])[0]!;
    expect(c.url).toBe('/openai/deployments/dep/chat/completions?api-version=2025-01-01-preview');
    expect(c.headers.authorization).toBe('Bearer entra-token-abcdefgh');
    const none = await runCli(['--no-cache'], { cwd: dir, env: {} });
    expect(none.code).toBe(2); // as for every provider: a config problem, found before any call
    expect(none.stderr).toContain('set AZURE_OPENAI_ENDPOINT (or baseURL in the judge) to the resource endpoint: 2 item(s) are not cached');
    const noKey = await runCli(['--no-cache'], { cwd: dir, env: { AZURE_OPENAI_ENDPOINT: sim.url } });
    expect(noKey.stdout + noKey.stderr).toContain('set AZURE_OPENAI_API_KEY, or AZURE_OPENAI_AD_TOKEN (a Microsoft Entra ID token)');
  });

  it('Gemini through its OpenAI-compatible endpoint: the documented baseURL recipe sends an OpenAI chat request with the key as a bearer token', async () => {
    // The recipe: provider openai, baseURL https://generativelanguage.googleapis.com/v1beta/openai/, OPENAI_API_KEY = the Gemini key.
    // Here the base URL is the test server's, with the same path.
    const dir = suite(`id: gemini\nprovider: openai\nmodel: gemini-2.0-flash\nbaseURL: ${sim.url}/v1beta/openai/\nscale: binary\nrubric: Pass correct answers.\n`);
    sim.reset();
    const r = await runCli([], { cwd: dir, env: { OPENAI_API_KEY: 'gemini-key-1234567890' } });
    expect(r.code).toBe(0);
    const c = (sim.calls as unknown as Call[])[0]!;
    expect(c.url).toBe('/v1beta/openai/chat/completions');
    expect(c.headers.authorization).toBe('Bearer gemini-key-1234567890');
    expect(c.body.model).toBe('gemini-2.0-flash');
  });

  it('anthropic-bedrock: Anthropic\'s Bedrock SDK, the model in the path, the request SigV4-signed with the environment\'s keys', async () => {
    const dir = suite('id: bedrock\nprovider: anthropic-bedrock\nmodel: anthropic.claude-3-5-haiku-20241022-v1:0\nscale: binary\nrubric: Pass correct answers.\n');
    sim.reset();
    const r = await runCli([], { cwd: dir, env: { ANTHROPIC_BEDROCK_BASE_URL: sim.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls = sim.calls as unknown as (Call & { body: { anthropic_version?: string; tools?: { name: string }[] } })[];
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke');
    expect(calls[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
    // The SDK moves the model into the path and names the API version in the body.
    expect(typeof calls[0]!.body.anthropic_version).toBe('string');
    expect(calls[0]!.body.model).toBeUndefined();
    expect(calls[0]!.body.tools![0]!.name).toBe('record_verdict'); // the verdict by forced tool call, as with the Anthropic API
    expect(r.stdout + r.stderr).not.toContain('wJalrXUtnFEMI');
    const none = await runCli(['--no-cache'], { cwd: dir, env: { AWS_REGION: 'us-east-1' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a web identity');
  });

  it('anthropic-vertex: Anthropic\'s Vertex SDK, project, region and model in the path, the access token as a bearer', async () => {
    const dir = suite('id: vertex\nprovider: anthropic-vertex\nmodel: claude-3-5-haiku@20241022\nscale: binary\nrubric: Pass correct answers.\n');
    sim.reset();
    const r = await runCli([], { cwd: dir, env: { ANTHROPIC_VERTEX_BASE_URL: `${sim.url}/v1`, CLOUD_ML_REGION: 'us-east5', ANTHROPIC_VERTEX_PROJECT_ID: 'acme-evals', GOOGLE_ACCESS_TOKEN: 'ya29.test-token-123456' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls = sim.calls as unknown as (Call & { body: { anthropic_version?: string } })[];
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).toBe('/v1/projects/acme-evals/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022:rawPredict');
    expect(calls[0]!.headers.authorization).toBe('Bearer ya29.test-token-123456');
    expect(typeof calls[0]!.body.anthropic_version).toBe('string');
    expect(calls[0]!.body.model).toBeUndefined();
    const none = await runCli(['--no-cache'], { cwd: dir, env: {} });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set CLOUD_ML_REGION and ANTHROPIC_VERTEX_PROJECT_ID for Google Vertex AI');
  });
});
