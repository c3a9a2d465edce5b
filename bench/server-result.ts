/** What the server-link measurement reports (server-bench.ts), or why it did not run. */
export type ServerResult =
  | { measured: false; reason: string }
  | {
      measured: true;
      rows: number;
      batches: number;
      /** Where it ran: PGlite via pglite-socket, or ART_SYNC_BENCH_PG_URL. */
      target: string;
      pushMs: number;
      rawInsertMs: number;
    };
