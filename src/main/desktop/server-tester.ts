/**
 * The window's "Test connection" (server:test): the same checks as `art-sync server test` (reachable,
 * password, schema, write permission), answered as one sentence for the Settings page. A problem the
 * owner can fix is a result (`ok: false` with the sentence), not an error.
 */
import { isAppError } from '../../shared/errors';
import type { ServerTestResult } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { SecretStore } from '../secrets/secret-store';
import { resolveServerTarget } from '../server/connection';
import { checkServer } from '../server/diagnose';

export interface ServerTesterOptions {
  secrets: SecretStore;
  env: Record<string, string | undefined>;
  /** drizzle/postgres of this build (the packaged app passes <app path>/drizzle/postgres). */
  migrationsFolder?: string;
}

export function createServerTester(options: ServerTesterOptions): (settings: Settings, signal: AbortSignal) => Promise<ServerTestResult> {
  return async (settings) => {
    try {
      const target = await resolveServerTarget(settings, options.secrets, options.env);
      const result = await checkServer(target, options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {});
      return {
        ok: true,
        message: `Connected to ${result.database} on ${result.host} as ${result.user} (PostgreSQL ${result.serverVersion}); the schema is current and Art Sync can write.`,
      };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { ok: false, message: error.action ? `${error.message} (${error.action}.)` : error.message };
    }
  };
}
