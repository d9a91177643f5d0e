// Watches every process this user may inspect for a secret in its arguments or environment.
// The secret arrives as the first line on stdin (never in this program's own argv or
// environment); then /proc/<pid>/cmdline and /proc/<pid>/environ of every process are read again
// and again until stdin ends. Prints "ready" after the first full pass, and at the end one JSON
// line: how many passes, every command line seen, and every place the secret was found.
import { readdirSync, readFileSync } from 'node:fs';

let input = Buffer.alloc(0);
let secret;
let stopped = false;

const read = (file) => {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // gone already, or another user's
  }
};

async function scan() {
  const hits = [];
  const seen = new Set();
  let passes = 0;
  while (!stopped) {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmdline = read(`/proc/${pid}/cmdline`);
      const environ = read(`/proc/${pid}/environ`);
      if (cmdline === undefined) continue;
      const args = cmdline.toString('utf8').split('\0').filter(Boolean).join(' ');
      seen.add(args);
      if (cmdline.includes(secret)) hits.push({ pid, file: 'cmdline', args });
      if (environ?.includes(secret)) hits.push({ pid, file: 'environ', args });
    }
    passes += 1;
    if (passes === 1) process.stdout.write('ready\n');
    await new Promise((resolve) => setImmediate(resolve));
  }
  process.stdout.write(`${JSON.stringify({ passes, processes: [...seen], hits })}\n`);
}

process.stdin.on('data', (chunk) => {
  if (secret !== undefined) return;
  input = Buffer.concat([input, chunk]);
  const end = input.indexOf('\n');
  if (end < 0) return;
  secret = input.subarray(0, end);
  void scan();
});
process.stdin.on('end', () => (stopped = true));
