/**
 * Sleep and wake: after a resume, the scheduler runs one catch-up sync if anything came due while the
 * machine slept (timers do not run during sleep). Electron's powerMonitor is injected.
 */
import type { PowerMonitor } from 'electron';

export function watchPower(
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>,
  scheduler: { resume(): void },
): () => void {
  const onResume = () => scheduler.resume();
  powerMonitor.on('resume', onResume);
  // Unlocking after a long lock can also mean a suspended laptop lid was opened (Windows).
  powerMonitor.on('unlock-screen', onResume);
  return () => {
    powerMonitor.removeListener('resume', onResume);
    powerMonitor.removeListener('unlock-screen', onResume);
  };
}
