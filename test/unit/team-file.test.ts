import { describe, expect, it } from 'vitest';
import { looksLikeTeamFile, parseReferenceList, parseTeamFile, samePrimary, writeTeamFile } from '../../shared/team-file';

describe('team files', () => {
  it('round trip: what is written is read back the same, with the version and no secrets', () => {
    const team = { primary: 'https://bitbucket.example.com', projects: ['PLAT'], repositories: ['WEB/site', 'https://bitbucket.example.com/scm/ops/deploy.git'], layout: 'by-project' as const, protocol: 'ssh' as const };
    const text = writeTeamFile(team);
    expect(looksLikeTeamFile(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({ mirrorCloneTeam: 1, ...team });
    expect(parseTeamFile(text)).toEqual({ ok: true, team: { mirrorCloneTeam: 1, ...team } });
  });

  it('defaults: flat layout over https', () => {
    expect(parseTeamFile('{"mirrorCloneTeam":1,"primary":"https://b.example.com","repositories":["A/b"]}')).toMatchObject({ ok: true, team: { layout: 'flat', protocol: 'https', projects: [] } });
  });

  it('names every problem of a file it cannot use', () => {
    expect(parseTeamFile('{"mirrorCloneTeam":1,')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^it is not valid JSON/)] });
    expect(parseTeamFile('{"mirrorCloneTeam":2,"primary":"https://b"}')).toEqual({ ok: false, problems: ['it was written by a newer mirror-clone (format 2; this one reads 1)'] });
    const bad = parseTeamFile(JSON.stringify({ mirrorCloneTeam: 1, primary: 'file:///etc', projects: ['-x'], repositories: ['ext::sh -c id', 'A/b'] }));
    expect(bad).toEqual({
      ok: false,
      problems: ['primary: "file:///etc" is not an http(s) address', 'projects: "-x" is not a project key', expect.stringMatching(/^repositories: "ext::sh -c id" is not a repository reference/)],
    });
    expect(parseTeamFile(JSON.stringify({ mirrorCloneTeam: 1, primary: 'https://b', token: 'secret' }))).toMatchObject({ ok: false, problems: [expect.stringContaining('token')] });
    expect(parseTeamFile(JSON.stringify({ mirrorCloneTeam: 1, primary: 'https://b' }))).toEqual({ ok: false, problems: ['it names no projects and no repositories'] });
  });

  it('a plain list: one reference a line, comments and blank lines skipped, other lines named by number', () => {
    expect(parseReferenceList('# team\nPLAT/api\n\n  https://b.example.com/projects/WEB/repos/site/browse  \n')).toEqual({ references: ['PLAT/api', 'https://b.example.com/projects/WEB/repos/site/browse'], problems: [] });
    expect(parseReferenceList('PLAT/api\nnot one\n').problems).toEqual([expect.stringMatching(/^line 2: "not one" is not a repository reference/)]);
  });

  it("matches a file's primary to a connected one however its address was written, and nothing else", () => {
    expect(samePrimary('https://Bitbucket.Example.com/', 'https://bitbucket.example.com')).toBe(true);
    expect(samePrimary(' https://bitbucket.example.com:443/bb// ', 'https://bitbucket.example.com/bb')).toBe(true);
    expect(samePrimary('https://bitbucket.example.com/bb', 'https://bitbucket.example.com/BB')).toBe(false);
    expect(samePrimary('http://bitbucket.example.com', 'https://bitbucket.example.com')).toBe(false);
    expect(samePrimary('https://bitbucket.example.com.evil.test', 'https://bitbucket.example.com')).toBe(false);
    // A name in the address would otherwise pass as the connected server's.
    expect(samePrimary('https://someone@bitbucket.example.com', 'https://bitbucket.example.com')).toBe(false);
    expect(samePrimary('not an address', 'https://bitbucket.example.com')).toBe(false);
    expect(samePrimary('not an address', 'not an address')).toBe(true);
  });
});
