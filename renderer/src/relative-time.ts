/** Times as a person reads them next to a local mirror or clone: "2 min ago", "in 30 s". */
import { useEffect, useState } from 'react';

// The wording lives apart from React, so Node-side code and tests can use it too.
export { formatWhen } from './format-when';

/** The clock, re-read every `everyMs`, so relative times on screen keep moving. */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
