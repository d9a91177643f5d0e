import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { sshEnvironment } from '../../electron/helper/transfer/ssh-env';

describe('the ssh command git is given', () => {
  it('never prompts, never accepts an unknown host key, and checks the helper’s known_hosts file', () => {
    const command = sshEnvironment("/home/o'neil/.ssh/known_hosts", undefined).GIT_SSH_COMMAND!;
    expect(command).toMatch(/^ssh -o BatchMode=yes -o StrictHostKeyChecking=yes /);
    // The shell git runs it with must see one argument with the quote intact.
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${command.replace(/^ssh /, '')}`], { encoding: 'utf8' }).trim().split('\n');
    expect(argv).toContain("UserKnownHostsFile=/home/o'neil/.ssh/known_hosts");
  });

  it("keeps the user's own GIT_SSH_COMMAND first, so its options win", () => {
    const command = sshEnvironment('/k', 'ssh -i ~/.ssh/work -o UserKnownHostsFile=/mine').GIT_SSH_COMMAND!;
    expect(command.startsWith('ssh -i ~/.ssh/work -o UserKnownHostsFile=/mine ')).toBe(true);
  });
});
