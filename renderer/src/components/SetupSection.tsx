/**
 * "Get set up": the day-one path as five steps, one showing at a time. The list of steps says
 * where you are; each step's heading says "Step n of 5" and takes focus when the step changes,
 * so a keyboard or a screen reader starts reading the new step from its top. With a primary
 * already connected, the path starts at step 2 (step 1 stays one Back away).
 */
import { useEffect, useRef } from 'react';
import { setupSteps, type SetupStep } from '../state/setup-slice';
import { usePrimaries, useSetup } from '../state/stores';
import { SetupConnectStep } from './SetupConnectStep';
import { SetupChooseStep } from './SetupChooseStep';
import { SetupKeysStep } from './SetupKeysStep';
import { SetupGoStep } from './SetupGoStep';
import { SetupSummaryStep } from './SetupSummaryStep';

function StepBody({ step }: { step: SetupStep }) {
  switch (step) {
    case 'connect':
      return <SetupConnectStep />;
    case 'choose':
      return <SetupChooseStep />;
    case 'keys':
      return <SetupKeysStep />;
    case 'go':
      return <SetupGoStep />;
    case 'summary':
      return <SetupSummaryStep />;
  }
}

export function SetupSection() {
  const step = useSetup((state) => state.step);
  const begin = useSetup((state) => state.begin);
  const show = useSetup((state) => state.show);
  const primaries = usePrimaries((state) => state.list);
  const primary = useSetup((state) => state.primary);
  const setPrimary = useSetup((state) => state.setPrimary);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  const index = setupSteps.findIndex((item) => item.id === step);

  useEffect(() => {
    if (primaries) begin(primaries.length > 0);
  }, [primaries, begin]);
  // The one connected (or the first of several) until another is chosen; a new one once connected.
  const first = primaries?.[0]?.baseUrl;
  const known = primaries?.some((item) => item.baseUrl === primary) ?? false;
  useEffect(() => {
    if (!known && first) setPrimary(first);
  }, [known, first, setPrimary]);

  // Opened from a button that has gone with the page it was on: the path's heading takes the focus it lost.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, []);

  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [step]);

  return (
    <section className="content__section setup" aria-labelledby="setup-title" data-testid="setup" data-step={step}>
      <div className="setup__head">
        <h1 id="setup-title" className="content__title">Get set up</h1>
        <ol className="setup__steps" aria-label="Steps">
          {setupSteps.map((item, at) => (
            <li key={item.id} className={`setup__steps-item${at < index ? ' setup__steps-item--done' : ''}`} aria-current={at === index ? 'step' : undefined}>
              <span className="setup__steps-number" aria-hidden="true">{at < index ? '✓' : at + 1}</span>
              {/* A step done can be gone back to in one go; later ones are reached with Next. */}
              {at < index ? (
                <button type="button" className="link-button setup__steps-title" onClick={() => show(item.id)}>
                  {item.title}<span className="visually-hidden"> (done; go back to it)</span>
                </button>
              ) : (
                <span className="setup__steps-title">{item.title}</span>
              )}
            </li>
          ))}
        </ol>
      </div>
      <h2 ref={heading} tabIndex={-1} className="setup__title" data-testid="setup-step-title">
        <span className="setup__where">Step {index + 1} of {setupSteps.length}</span> {setupSteps[index]!.title}
      </h2>
      <StepBody step={step} />
    </section>
  );
}
