/**
 * The line under the Clone panel's folder fields: where the clone will go ("Clones into …"), or
 * why it cannot start, with what can be done about it right there (create the missing folder,
 * look at the finished clone already there). It is the Clone button's description too, so the
 * button is never disabled without a reason.
 */
import type { ReactNode } from 'react';
import type { DestinationCheck } from '../../../shared/contract';
import type { ErrorInfo } from '../state/errors';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  id: string;
  /** Why Clone cannot start; undefined when it can. */
  blocked?: string;
  check?: DestinationCheck;
  checking: boolean;
  checkError?: ErrorInfo;
  creating: boolean;
  createError?: ErrorInfo;
  onCreate(): void;
  onShowClones(): void;
  /** More about the folder, at the end of the line (the offer to make it the default). */
  children?: ReactNode;
}

export function CloneDestination({ id, blocked, check, checking, checkError, creating, createError, onCreate, onShowClones, children }: Props) {
  let text: string;
  if (blocked) text = blocked;
  else if (check?.state === 'exists' && check.historyPending) text = `${check.path} is this repository with part of its history: Clone finishes it there, leaving your files alone.`;
  else if (check?.state === 'ok') text = check.emptyFolder ? `Clones into ${check.path} (an empty folder, used as it is).` : `Clones into ${check.path}`;
  else if (checking) text = 'Checking the folder…';
  else text = '';
  const problem = blocked !== undefined && check !== undefined && check.state !== 'ok';
  return (
    <div className="clone-destination" data-testid="clone-destination" data-state={check?.state ?? (checking ? 'checking' : 'none')}>
      <p id={id} className={`clone-destination__line${problem ? ' clone-destination__line--problem' : ''}`} aria-live="polite">
        {problem && <span className="clone-destination__icon" aria-hidden="true">!</span>}
        <span data-testid="clone-destination-text">{text}</span>
        {check?.state === 'parent-missing' && (
          <button type="button" className="link-button" onClick={onCreate} disabled={creating}>
            {creating ? 'Creating…' : `Create ${check.parent}`}
          </button>
        )}
        {check?.state === 'exists' && check.sameRepository && (
          <button type="button" className="link-button" onClick={onShowClones}>
            Show in Local clones
          </button>
        )}
        {children}
      </p>
      {createError && <ErrorMessage error={createError} title="The folder was not created." />}
      {checkError && <ErrorMessage error={checkError} title="The folder could not be checked." />}
    </div>
  );
}
