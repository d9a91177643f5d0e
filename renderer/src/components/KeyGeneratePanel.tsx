/**
 * Making a new SSH key: its type (defaulting to one every checked server accepts, with the
 * reason), an optional passphrase typed twice, and a comment (user@host). A passphrase can be
 * kept in the system keychain and the key loaded into ssh-agent, so git does not ask for it.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useKeys } from '../state/stores';
import { keyTypeChoices, recommendedKeyType, type KeyTypeChoice } from '../state/key-type-choice';
import { ErrorMessage } from './ErrorMessage';
import { UploadButton, typeName } from './KeyCard';
import { Fingerprint, PathText } from './KeyText';

/** ssh-keygen refuses shorter ones. */
const minimumPassphrase = 5;

function GeneratedKey({ primary, primaryName }: { primary?: string; primaryName: string }) {
  const generated = useKeys((state) => state.generated);
  if (generated?.state !== 'done') return null;
  const made = generated.result;
  const article = made.type === 'ED25519' || made.type === 'RSA' || made.type === 'ECDSA' ? 'an' : 'a';
  return (
    <div className="key-generate__result" data-testid="generated-key" data-path={made.privateKeyPath}>
      <p>
        <span className="ok-text">Made {article} {typeName(made.type)} key ({made.bits} bits)</span> in <code><PathText path={made.privateKeyPath} /></code>
        {made.passphraseRemembered && <>, its passphrase kept in your system keychain</>}
        {made.inAgent && <>, loaded into ssh-agent</>}.
      </p>
      <p><Fingerprint value={made.fingerprint} /></p>
      <UploadButton publicKey={made.publicKey} primary={primary} primaryName={primaryName} />
    </div>
  );
}

export function KeyGeneratePanel({ open, setOpen, primary, primaryName }: { open: boolean; setOpen(open: boolean): void; primary?: string; primaryName: string }) {
  const generated = useKeys((state) => state.generated);
  const generate = useKeys((state) => state.generate);
  const inventory = useKeys((state) => state.inventory);
  const check = useKeys((state) => state.check);
  const recommended = recommendedKeyType(check?.state === 'done' ? check.result : undefined);
  const [chosen, setChosen] = useState<KeyTypeChoice | undefined>(undefined);
  const [comment, setComment] = useState<string | undefined>(undefined);
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [remember, setRemember] = useState(true);
  const [load, setLoad] = useState<boolean | undefined>(undefined);
  const [problem, setProblem] = useState<{ field: 'passphrase' | 'confirmation'; message: string } | undefined>(undefined);
  const firstField = useRef<HTMLInputElement>(null);
  const id = useId();
  const pending = generated?.state === 'pending';
  const agentRunning = inventory?.agent.running === true;
  const type = chosen ?? recommended.choice;
  const commentValue = comment ?? inventory?.defaultComment ?? '';
  const addToAgent = agentRunning && (load ?? true);

  useEffect(() => {
    if (open) firstField.current?.focus();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (passphrase && passphrase.length < minimumPassphrase) {
      setProblem({ field: 'passphrase', message: `A passphrase needs at least ${minimumPassphrase} characters; or leave both fields empty for none.` });
      return;
    }
    if (passphrase !== confirmation) {
      setProblem({ field: 'confirmation', message: 'The two passphrases differ: type the same passphrase in both fields.' });
      return;
    }
    setProblem(undefined);
    const choice = keyTypeChoices.find((item) => item.id === type)!;
    await generate({ ...choice.params, comment: commentValue.trim(), ...(passphrase ? { passphrase, rememberPassphrase: remember } : {}), addToAgent });
    // The next key starts from the defaults again (its type excepted: the same choice is likely).
    setPassphrase('');
    setConfirmation('');
    setComment(undefined);
  };

  return (
    <div className="panel key-generate" data-testid="key-generate" id="key-generate">
      <div className="key-generate__row">
        <p className="muted key-generate__text">Make a new key pair in {inventory?.folder ? <code><PathText path={inventory.folder} /></code> : '~/.ssh'}, never over an existing file.</p>
        <button type="button" className="button" aria-expanded={open} aria-controls={`${id}-form`} onClick={() => setOpen(!open)}>
          {open ? 'Close' : 'Generate a key'}
        </button>
      </div>
      {open && (
        <form id={`${id}-form`} className="key-generate__form" onSubmit={(event) => void submit(event)} aria-label="Generate a key" noValidate>
          <fieldset className="key-choice">
            <legend>Key type</legend>
            <div className="key-choice__options">
              {keyTypeChoices.map((item) => (
                <label key={item.id} className="key-choice__option">
                  <input ref={type === item.id ? firstField : undefined} type="radio" name={`${id}-type`} value={item.id} checked={type === item.id} onChange={() => setChosen(item.id)} />
                  {item.label}
                </label>
              ))}
            </div>
            <p className="muted key-choice__reason" data-testid="key-type-reason">
              {type === recommended.choice ? recommended.reason : `Suggested: ${keyTypeChoices.find((item) => item.id === recommended.choice)!.label}. ${recommended.reason}`}
            </p>
          </fieldset>
          <div className="key-generate__fields">
            <div className="field">
              <label htmlFor={`${id}-passphrase`}>Passphrase <span className="muted">(optional)</span></label>
              <input id={`${id}-passphrase`} type="password" autoComplete="new-password" value={passphrase} aria-invalid={problem?.field === 'passphrase'} aria-describedby={`${id}-passphrase-help${problem?.field === 'passphrase' ? ` ${id}-problem` : ''}`} onChange={(event) => setPassphrase(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-confirmation`}>Passphrase again</label>
              <input id={`${id}-confirmation`} type="password" autoComplete="new-password" value={confirmation} aria-invalid={problem?.field === 'confirmation'} aria-describedby={problem?.field === 'confirmation' ? `${id}-problem` : undefined} onChange={(event) => setConfirmation(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-comment`}>Comment</label>
              <input id={`${id}-comment`} type="text" spellCheck={false} maxLength={200} value={commentValue} aria-describedby={`${id}-comment-help`} onChange={(event) => setComment(event.target.value)} />
              <span className="visually-hidden" id={`${id}-comment-help`}>Names the key on your Bitbucket account.</span>
            </div>
          </div>
          {problem && <p className="warn-text key-generate__problem" id={`${id}-problem`} role="alert" data-testid="generate-problem">{problem.message}</p>}
          <p className="muted key-generate__help" id={`${id}-passphrase-help`}>
            A passphrase encrypts the private key on disk, so a copy of the file is useless without it.
            {agentRunning ? ' The key is loaded into ssh-agent and the passphrase can be kept in your system keychain, so git does not ask for it on every fetch.' : ' It can be kept in your system keychain; no ssh-agent is running, so git asks for it on each fetch until you load the key with ssh-add.'}
          </p>
          <div className="key-generate__options">
            <label className="key-generate__option">
              <input type="checkbox" checked={remember} disabled={!passphrase} onChange={(event) => setRemember(event.target.checked)} /> Keep the passphrase in the system keychain
            </label>
            {agentRunning && (
              <label className="key-generate__option">
                <input type="checkbox" checked={addToAgent} onChange={(event) => setLoad(event.target.checked)} /> Load the key into ssh-agent
              </label>
            )}
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary" aria-disabled={pending}>
              {pending ? 'Generating…' : `Generate ${keyTypeChoices.find((item) => item.id === type)!.label} key`}
            </button>
          </div>
        </form>
      )}
      <div aria-live="polite">
        <GeneratedKey primary={primary} primaryName={primaryName} />
        {generated?.state === 'error' && <ErrorMessage error={generated.error} title="Could not make a key." testId="generate-error" />}
      </div>
    </div>
  );
}
