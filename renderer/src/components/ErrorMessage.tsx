/** A contract error as a person reads it: what happened, then what to do about it. */
import type { ErrorInfo } from '../state/errors';

export function ErrorMessage({ error, title, testId }: { error: ErrorInfo; title?: string; testId?: string }) {
  return (
    <div className="error-message" role="alert" data-testid={testId} data-code={error.code}>
      <p className="error-message__text">
        {title && <strong>{title} </strong>}
        {error.message}
      </p>
      {error.hint && <p className="error-message__hint">{error.hint}</p>}
    </div>
  );
}
