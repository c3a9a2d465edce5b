/**
 * Child process of two-processes.test.ts: one inventory sync on an existing data folder, with the
 * secrets in a file shared with the other child (it stands in for the OS keychain). Input on stdin as
 * JSON: { dataDir, migrationsFolder, env, secretsFile }. Prints { errors, runs } on stdout.
 */
import { createApp } from '../../src/main/app';
import { FileSecretStore } from './file-secret-store';

interface ChildInput {
  dataDir: string;
  migrationsFolder: string;
  env: Record<string, string>;
  secretsFile: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin()) as ChildInput;
const core = await createApp({
  dataDir: input.dataDir,
  env: input.env,
  secrets: new FileSecretStore(input.secretsFile),
  migrationsFolder: input.migrationsFolder,
});
try {
  const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
  process.stdout.write(JSON.stringify({ errors: report.errors, runs: report.runs.map((r) => r.status) }));
} catch (error) {
  process.stdout.write(JSON.stringify({ thrown: (error as Error).message }));
} finally {
  await core.stop();
}
