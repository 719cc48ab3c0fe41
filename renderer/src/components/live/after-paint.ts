/**
 * Heavy chart work kept off the task that changes the screen: building a Chart.js chart costs tens of ms (more the
 * first time its code runs), so each job waits until the browser has painted, then runs in a task of its own —
 * one job per task, so two charts built together never add up to one long task that makes input feel late.
 */
const jobs = new Set<() => void>();
let scheduled = false;

function runNext(): void {
  scheduled = false;
  const [job] = jobs;
  if (!job) return;
  jobs.delete(job);
  try {
    job();
  } finally {
    if (jobs.size) schedule();
  }
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // the frame callback runs before paint; the timeout it queues runs after it
  requestAnimationFrame(() => setTimeout(runNext, 0));
}

/** Runs `job` in its own task after the next paint, after the jobs queued before it. Returns a cancel. */
export function afterPaint(job: () => void): () => void {
  const entry = (): void => job();
  jobs.add(entry);
  schedule();
  return () => jobs.delete(entry);
}
