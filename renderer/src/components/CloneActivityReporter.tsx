/**
 * Tells the window's surroundings how clones are going: the tab/window title carries the overall
 * percentage (seen in the browser build and the OS window switcher), the desktop shell gets the
 * taskbar/dock progress, and a clone that ends while the window is in the background raises a
 * system notification. Renders nothing.
 */
import { useEffect, useRef } from 'react';
import type { CloneJob } from '../../../shared/contract';
import { useCloneJobs } from '../state/stores';
import { desktopBridge } from '../bridge/desktop';
import { completionNotice, isFinished, summarizeClones, titleFor } from '../desktop/clone-activity';

export function CloneActivityReporter() {
  const jobs = useCloneJobs((state) => state.jobs);
  const previous = useRef<Record<string, CloneJob>>({});
  const lastSent = useRef('');

  useEffect(() => {
    const list = Object.values(jobs);
    const progress = summarizeClones(list);
    const desktop = desktopBridge();
    // Up to ten progress events a second per clone: only a changed figure reaches the OS.
    const key = JSON.stringify(progress);
    if (key !== lastSent.current) {
      lastSent.current = key;
      document.title = titleFor(progress);
      desktop?.setProgress(progress);
    }
    for (const job of list) {
      const before = previous.current[job.jobId];
      // Only a change seen here counts: jobs re-read after a reconnect ended while we were away.
      if (!before || isFinished(before) || !isFinished(job)) continue;
      const notice = completionNotice(job);
      if (notice && desktop && !document.hasFocus()) desktop.notify(notice);
    }
    previous.current = jobs;
  }, [jobs]);

  return null;
}
