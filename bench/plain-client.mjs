// A plain node:http client, no judge-test in the way: `n` chat-completion requests, `c` at a
// time, to `url`, printing its own CPU per request. bench/runner.mjs runs it in a child process
// beside the live rows: the CPU a request costs at this latency before any runner work.
// Usage: node bench/plain-client.mjs <baseURL> <n> <c>
import { Agent, request } from 'node:http';

const [url, n, c] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const agent = new Agent({ keepAlive: true });
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'answer [[verdict:pass]]' }] });
const one = () =>
  new Promise((resolve, reject) => {
    const req = request(`${url}/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer x' } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body);
  });
let next = 0;
await Promise.all(Array.from({ length: c }, async () => {
  while (next++ < n) await one();
}));
const u = process.resourceUsage();
process.stdout.write(`cpu=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
process.exit(0);
