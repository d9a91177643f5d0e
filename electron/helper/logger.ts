/**
 * The helper logs one JSON object per line on stderr. Stdout belongs to whoever started the
 * helper (`npm run helper` prints its address there). Callers pass facts, never secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(write: (line: string) => void, minimum: LogLevel = 'info'): Logger {
  const log = (level: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    if (order[level] < order[minimum]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = createLogger(() => {}, 'error');
