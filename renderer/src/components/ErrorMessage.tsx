/** A contract error as a person reads it: what happened, then what to do about it. */
import type { ErrorInfo } from '../state/errors';

/** `id` lets the field the error is about point at it (aria-describedby). */
export function ErrorMessage({ error, title, testId, id }: { error: ErrorInfo; title?: string; testId?: string; id?: string }) {
  return (
    <div className="error-message" role="alert" id={id} data-testid={testId} data-code={error.code}>
      <p className="error-message__text">
        {title && <strong>{title} </strong>}
        {error.message}
      </p>
      {error.hint && <p className="error-message__hint">{error.hint}</p>}
    </div>
  );
}
