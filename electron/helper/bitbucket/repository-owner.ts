/**
 * A repository's owner as Bitbucket's paths name it: `projects/KEY`, or `users/name` for a
 * personal repository (whose project key is `~NAME`). Paths outside /rest (e.g. /sizes) do not
 * accept `projects/~NAME`, so every path built for both kinds goes through here.
 */
export function repositoryOwnerPath(projectKey: string): string {
  return projectKey.startsWith('~') ? `users/${encodeURIComponent(projectKey.slice(1).toLowerCase())}` : `projects/${encodeURIComponent(projectKey)}`;
}
