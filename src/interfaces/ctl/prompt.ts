import { createInterface } from 'node:readline';

/**
 * A question on the terminal; `hidden` echoes nothing (passwords). Only used when stdin and
 * stderr are terminals: the prompt goes to stderr so stdout stays the command's result.
 */
export function terminalPrompt(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      // readline echoes typed characters through this; muting it after the question hides them.
      const w = rl as unknown as { _writeToOutput: (s: string) => void };
      const original = w._writeToOutput.bind(rl);
      let asked = false;
      w._writeToOutput = (s: string) => {
        if (!asked) {
          asked = true;
          original(s);
        }
      };
    }
    rl.question(question, (answer) => {
      if (hidden) process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
  });
}

export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
