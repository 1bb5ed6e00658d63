// A client with no judge-test in the way: `n` chat-completion requests, `c` at a time, to
// `url`, printing its own CPU. bench/runner.mjs runs it in a child process beside the live
// rows: what a request costs at this latency before any runner work, with node:http alone, and
// with the OpenAI SDK set up as the openai provider sets it up: the providers' fetch, request
// headers built once (`sdk`), and as the SDK comes (`sdk-plain`).
// Usage: node bench/plain-client.mjs <baseURL> <n> <c> [http|sdk|sdk-plain]     (sdk needs `npm run build`)
import { Agent, request } from 'node:http';

const [url, n, c, mode = 'http'] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const messages = [{ role: 'user', content: 'answer [[verdict:pass]]' }];
let one;
if (mode.startsWith('sdk')) {
  const { default: OpenAI } = await import('openai');
  const { httpFetch } = await import('../dist/providers/http-fetch.js');
  const { reuseRequestHeaders } = await import('../dist/providers/reused-headers.js');
  const client = new OpenAI({ apiKey: 'x', baseURL: url, maxRetries: 0, fetch: httpFetch });
  // As the openai provider sets its client up (`sdk-plain`: the SDK building every request's headers).
  if (mode === 'sdk') reuseRequestHeaders(client);
  one = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages });
} else {
  const agent = new Agent({ keepAlive: true });
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages });
  one = () =>
    new Promise((resolve, reject) => {
      const req = request(`${url}/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer x' } }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(body);
    });
}
let next = 0;
await Promise.all(Array.from({ length: c }, async () => {
  while (next++ < n) await one();
}));
const u = process.resourceUsage();
process.stdout.write(`cpu=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
process.exit(0);
