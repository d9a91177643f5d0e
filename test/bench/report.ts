/** Collects benchmark rows, prints them as a table and writes the JSON report. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface BenchRow {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The target in words, e.g. '<= 1.10', and whether it was met. */
  target?: string;
  met?: boolean;
  details?: Record<string, unknown>;
}

export class BenchReport {
  readonly rows: BenchRow[] = [];

  add(row: BenchRow): void {
    this.rows.push(row);
    const verdict = row.met === undefined ? '' : row.met ? '  ok' : '  MISSED';
    // Printed as each figure comes in: wide enough for the longest names (a repository kind, its size and the figure).
    console.log(`  ${row.suite.padEnd(9)} ${row.name.padEnd(92)} ${formatValue(row.value, row.unit).padStart(14)}${row.target ? `  (target ${row.target})` : ''}${verdict}`);
  }

  async write(directory: string): Promise<string> {
    await mkdir(directory, { recursive: true });
    const file = path.join(directory, `bench-${new Date().toISOString().replaceAll(':', '-')}.json`);
    const machine = { node: process.version, platform: `${process.platform}-${process.arch}` };
    await writeFile(file, `${JSON.stringify({ createdAt: new Date().toISOString(), machine, rows: this.rows }, null, 2)}\n`);
    return file;
  }
}

function formatValue(value: number, unit: string): string {
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'ms') return `${Math.round(value)} ms`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit.startsWith('%')) return `${value.toFixed(2)} %`;
  return `${value} ${unit}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
