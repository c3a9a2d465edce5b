import { defineConfig } from 'drizzle-kit';

// Server Postgres (the optional Art Management Tool link). `npm run db:generate:server -- --name <change>`
// writes a new migration into drizzle/postgres; only `art-sync server migrate` applies it.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/main/server/schema.ts',
  out: './drizzle/postgres',
});
