/** Times as a person reads them next to a local mirror or clone: "2 min ago", "in 30 s". */
function span(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

export function formatWhen(epochMs: number, now = Date.now()): string {
  const difference = epochMs - now;
  if (Math.abs(difference) < 5_000) return 'just now';
  return difference > 0 ? `in ${span(difference)}` : `${span(difference)} ago`;
}
