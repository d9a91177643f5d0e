/** Reading secrets: from stdin for scripts, or typed at a terminal without echo. */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export async function readAllStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  // Only the trailing newline an `echo` or a file adds; a token never contains one.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function promptHidden(question: string, io: { stdin: NodeJS.ReadableStream; stderr: NodeJS.WritableStream } = process): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) io.stderr.write(chunk);
      callback();
    },
  });
  const readline = createInterface({ input: io.stdin, output, terminal: true });
  return new Promise((resolve) => {
    readline.question(question, (answer) => {
      readline.close();
      io.stderr.write('\n');
      resolve(answer.trim());
    });
    muted = true;
  });
}
