/**
 * Which commits have every object of their tree, in a repository that holds part of its history:
 * the trees are read level by level with `git cat-file --batch` (one process a level, the whole
 * level on its stdin), and a tree is whole when it is here and so is everything below it.
 * Blobs are not read: the objects `missingObjects` names are all the missing ones a present tree
 * points at, so a blob is here unless it is named there.
 */
import { requireAbsolutePath, requireOid, runOptions, runnerOf, type GitCommandOptions } from './arguments';

const treeMode = '40000';
const gitlinkMode = '160000';

interface TreeEntries {
  trees: string[];
  blobs: string[];
}

/** Parses a raw tree: entries `<mode> <name>\0<hash>`. */
function parseTree(bytes: Buffer, hashLength: number): TreeEntries {
  const entries: TreeEntries = { trees: [], blobs: [] };
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const nul = bytes.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 1 + hashLength > bytes.length) break;
    const mode = bytes.toString('latin1', at, space);
    const oid = bytes.toString('hex', nul + 1, nul + 1 + hashLength);
    if (mode === treeMode) entries.trees.push(oid);
    else if (mode !== gitlinkMode) entries.blobs.push(oid);
    at = nul + 1 + hashLength;
  }
  return entries;
}

/** The contents of `oids` (trees), undefined for those not here. */
async function readTrees(repository: string, oids: string[], options: GitCommandOptions): Promise<Map<string, TreeEntries | undefined>> {
  const read = new Map<string, TreeEntries | undefined>();
  if (oids.length === 0) return read;
  const { stdoutBytes } = await runnerOf(options)(['-C', repository, 'cat-file', '--batch'], { ...runOptions(options), stdin: `${oids.join('\n')}\n` });
  const out = stdoutBytes ?? Buffer.alloc(0);
  let at = 0;
  for (const oid of oids) {
    const lineEnd = out.indexOf(0x0a, at);
    if (lineEnd < 0) break;
    const header = out.toString('latin1', at, lineEnd).split(' ');
    at = lineEnd + 1;
    if (header[1] === 'missing' || header.length < 3) {
      read.set(oid, undefined);
      continue;
    }
    const size = Number(header[2]);
    read.set(oid, header[1] === 'tree' ? parseTree(out.subarray(at, at + size), header[0]!.length / 2) : undefined);
    at += size + 1;
  }
  return read;
}

/** The commits (of `commits`, each with its root tree) whose trees hold every object below them. */
export async function commitsWithWholeTrees(
  repository: string,
  commits: readonly { oid: string; tree: string }[],
  missing: ReadonlySet<string>,
  options: GitCommandOptions = {},
): Promise<Set<string>> {
  const repo = requireAbsolutePath('repository', repository);
  const trees = new Map<string, TreeEntries | undefined>();
  let level = [...new Set(commits.map((commit) => requireOid('tree', commit.tree)))].filter((oid) => !missing.has(oid));
  while (level.length > 0) {
    options.signal?.throwIfAborted();
    const read = await readTrees(repo, level, options);
    const next = new Set<string>();
    for (const [oid, entries] of read) {
      trees.set(oid, entries);
      for (const child of entries?.trees ?? []) if (!trees.has(child) && !missing.has(child)) next.add(child);
    }
    level = [...next].filter((oid) => !trees.has(oid));
  }
  const whole = new Map<string, boolean>();
  const isWhole = (oid: string): boolean => {
    const known = whole.get(oid);
    if (known !== undefined) return known;
    const entries = missing.has(oid) ? undefined : trees.get(oid);
    // Trees are acyclic: the answer is set after the children's.
    const answer = entries !== undefined && entries.blobs.every((blob) => !missing.has(blob)) && entries.trees.every(isWhole);
    whole.set(oid, answer);
    return answer;
  };
  return new Set(commits.filter((commit) => isWhole(commit.tree)).map((commit) => commit.oid));
}
