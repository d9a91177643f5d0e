/**
 * Tells the window's surroundings how clones are going: the tab/window title carries the overall
 * percentage (seen in the browser build and the OS window switcher), the desktop shell gets the
 * taskbar/dock progress, and a clone or a batch that ends while the window is in the background
 * raises a system notification (one for a batch, not one per repository). Renders nothing.
 */
import { useEffect, useRef } from 'react';
import type { CloneBatch, CloneJob } from '../../../shared/contract';
import { useCloneBatches, useCloneJobs } from '../state/stores';
import { desktopBridge } from '../bridge/desktop';
import { completionNotice, isFinished, titleFor } from '../desktop/clone-activity';
import { batchNotice, noticeIsForBatch, summarizeWork } from '../desktop/batch-activity';

export function CloneActivityReporter() {
  const jobs = useCloneJobs((state) => state.jobs);
  const batches = useCloneBatches((state) => state.batches);
  const previous = useRef<Record<string, CloneJob>>({});
  const previousBatches = useRef<Record<string, CloneBatch>>({});
  const lastSent = useRef('');

  useEffect(() => {
    const batchList = Object.values(batches);
    const progress = summarizeWork(jobs, batchList);
    const desktop = desktopBridge();
    // Up to ten progress events a second per clone: only a changed figure reaches the OS.
    const key = JSON.stringify(progress);
    if (key !== lastSent.current) {
      lastSent.current = key;
      document.title = titleFor(progress);
      desktop?.setProgress(progress);
    }
    const notify = desktop && !document.hasFocus() ? desktop.notify.bind(desktop) : undefined;
    for (const job of Object.values(jobs)) {
      const before = previous.current[job.jobId];
      // Only a change seen here counts: jobs re-read after a reconnect ended while we were away.
      if (!before || isFinished(before) || !isFinished(job) || noticeIsForBatch(job, batchList, jobs)) continue;
      const notice = completionNotice(job);
      if (notice) notify?.(notice);
    }
    for (const batch of batchList) {
      const before = previousBatches.current[batch.batchId];
      if (!before || before.finishedAt || !batch.finishedAt) continue;
      const notice = batchNotice(batch);
      if (notice) notify?.(notice);
    }
    previous.current = jobs;
    previousBatches.current = batches;
  }, [jobs, batches]);

  return null;
}
