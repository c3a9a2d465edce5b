/**
 * Placeholder Status page: the desktop issue fills it from the core (connection, each job's last and
 * next run, today's Etsy budget, counts) through the preload contract.
 */
export function StatusPage() {
  return (
    <section className="status-page" aria-labelledby="status-heading">
      <h2 id="status-heading">Status</h2>
      <p>Sync status will appear here once your Etsy shop is connected.</p>
    </section>
  );
}
