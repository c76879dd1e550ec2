// listen.js: LISTEN on a PostgreSQL channel through a psql child process (no npm driver).
// psql prints notifications that came while it was idle after the result of the next command
// it runs, so `received()` sends two marker queries: every notification that arrived before
// the first is printed before the second one's answer.
import { spawn } from 'node:child_process';

export async function listen(databaseUrl, channel) {
  const child = spawn('psql', ['-X', '-q', '-A', '-t', databaseUrl], { stdio: ['pipe', 'pipe', 'pipe'] });
  const payloads = [];
  const waiting = new Map();
  let pending = '', seq = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    let i;
    while ((i = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      const m = /^Asynchronous notification "([^"]+)" (?:with payload "([^"]*)" )?received/.exec(line);
      if (m && m[1] === channel) payloads.push(m[2] ?? '');
      else if (waiting.has(line)) { waiting.get(line)(); waiting.delete(line); }
    }
  });
  const roundTrip = () => new Promise((resolve, reject) => {
    const marker = `marker-${++seq}`;
    const timer = setTimeout(() => reject(new Error('psql did not answer')), 10_000);
    waiting.set(marker, () => { clearTimeout(timer); resolve(); });
    child.stdin.write(`SELECT '${marker}';\n`);
  });
  child.stdin.write(`LISTEN ${channel};\n`);
  await roundTrip();
  return {
    // Every payload so far; waits (bounded) until `until(payloads)` holds, when given.
    async received(until = () => true) {
      await roundTrip();
      for (let i = 0; i < 100; i++) {
        await roundTrip();
        if (until(payloads)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return [...payloads];
    },
    close() { child.stdin.end(); child.kill(); },
  };
}
