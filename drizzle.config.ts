import { defineConfig } from 'drizzle-kit';

// Local SQLite store. `npm run db:generate -- --name <change>` writes a new migration into
// drizzle/sqlite; the app applies it on open (src/main/store/migrate.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/main/store/schema.ts',
  out: './drizzle/sqlite',
});
