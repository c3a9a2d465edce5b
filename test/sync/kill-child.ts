/**
 * Child process of kill.test.ts: one inventory sync on an existing data folder. Runs with
 * `node --import tsx test/sync/kill-child.ts`, or bundled by esbuild (what the test does: a third of the
 * start-up CPU). The parent may SIGKILL it at any request. Credentials come over stdin as JSON (never
 * argv): { dataDir, migrationsFolder?, env, keystring, sharedSecret, accessToken, refreshToken, expiresIn }. The data folder already has its etsy_connection row (the parent connected
 * once in-process). Prints the sync report's errors as JSON on stdout and exits 0 when it finishes.
 */
import { createApp } from '../../src/main/app';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';

interface ChildInput {
  dataDir: string;
  /** Needed when bundled: the default is found relative to the source file. */
  migrationsFolder?: string;
  env: Record<string, string>;
  keystring: string;
  sharedSecret: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin()) as ChildInput;
const secrets = new MemorySecretStore();
await secrets.set('etsy.keystring', input.keystring);
await secrets.set('etsy.sharedSecret', input.sharedSecret);
await secrets.set('etsy.refreshToken', input.refreshToken);
await secrets.set('etsy.accessToken', JSON.stringify({ token: input.accessToken, expiresAt: Date.now() + input.expiresIn * 1000 }));
const core = await createApp({ dataDir: input.dataDir, env: input.env, secrets, ...(input.migrationsFolder ? { migrationsFolder: input.migrationsFolder } : {}) });
try {
  const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
  process.stdout.write(JSON.stringify({ errors: report.errors }));
} finally {
  await core.stop();
}
