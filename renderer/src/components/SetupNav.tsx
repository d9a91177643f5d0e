/**
 * The set-up path's Back and Next, at the bottom of the pane and always in sight. Next that
 * cannot go yet stays focusable and says why next to it (a disabled button would be skipped by
 * Tab and explain nothing).
 */
import { useId, type ReactNode } from 'react';
import { setupSteps, type SetupStep } from '../state/setup-slice';
import { useSetup } from '../state/stores';

interface Props {
  /** Where Back goes; the step before by default; none on the first step. */
  back?: SetupStep | null;
  next?: { label: string; onNext(): void; blocked?: string; busy?: boolean; testId?: string };
  children?: ReactNode;
}

export function SetupNav({ back, next, children }: Props) {
  const step = useSetup((state) => state.step);
  const show = useSetup((state) => state.show);
  const id = useId();
  const at = setupSteps.findIndex((item) => item.id === step);
  const backTo = back === undefined ? setupSteps[at - 1]?.id : back ?? undefined;
  const unavailable = next?.blocked !== undefined || next?.busy === true;
  if (!backTo && !next && !children) return null;
  return (
    <div className="setup__nav" role="group" aria-label="Step navigation">
      {backTo && (
        <button type="button" className="button" onClick={() => show(backTo)} data-testid="setup-back">
          Back
        </button>
      )}
      {children}
      {next && (
        <>
          <span id={`${id}-why`} className="setup__nav-why muted" aria-live="polite" data-testid="setup-next-why">{next.blocked ?? ''}</span>
          <button
            type="button"
            className="button button--primary"
            aria-disabled={unavailable}
            aria-describedby={next.blocked ? `${id}-why` : undefined}
            onClick={() => !unavailable && next.onNext()}
            data-testid={next.testId ?? 'setup-next'}
          >
            {next.label}
          </button>
        </>
      )}
    </div>
  );
}
