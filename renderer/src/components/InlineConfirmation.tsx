/**
 * A question asked in place before something that cannot be undone (remove a primary, remove a
 * local mirror). Focus starts on the harmless choice; that choice or Escape closes the question
 * and puts focus back on the button that opened it, so a keyboard user is where they were.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

export interface InlineConfirmationProps {
  question: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  cancelLabel: string;
  pending: boolean;
  onConfirm(): void;
  /** Closes the question; focus then goes back to `returnFocusTo`. */
  onCancel(): void;
  /** The button that opened the question (it may be re-rendered meanwhile: read when closing). */
  returnFocusTo: RefObject<HTMLElement | null>;
  className: string;
  small?: boolean;
  testId?: string;
  /** Below the buttons: why the last attempt failed. */
  children?: ReactNode;
}

export function InlineConfirmation({ question, confirmLabel, pendingLabel, cancelLabel, pending, onConfirm, onCancel, returnFocusTo, className, small, testId, children }: InlineConfirmationProps) {
  const cancelButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => cancelButton.current?.focus(), []);

  const cancel = () => {
    if (pending) return;
    onCancel();
    // After the re-render that closes the question, when the opener is back on screen.
    requestAnimationFrame(() => returnFocusTo.current?.focus());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    cancel();
  };
  const size = small ? ' button--small' : '';

  return (
    <div className={className} role="group" aria-labelledby={`${id}-question`} onKeyDown={onKeyDown} data-testid={testId}>
      <p className="confirm__question" id={`${id}-question`}>{question}</p>
      <div className="form-actions">
        <button type="button" className={`button button--danger${size}`} aria-disabled={pending} onClick={() => !pending && onConfirm()}>
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" ref={cancelButton} className={`button${size}`} aria-disabled={pending} onClick={cancel}>
          {cancelLabel}
        </button>
      </div>
      {children}
    </div>
  );
}
