/**
 * Values on the SSH pages shown whole and never broken mid-word: a fingerprint kept on one line
 * (shortened with an ellipsis where space runs out, the full value in its title and a Copy
 * button), text whose `commands` read as code, and paths that may wrap only after a slash.
 */
import { Fragment, useEffect, useRef, useState } from 'react';

/** A path that may wrap only after a "/": each name stays whole (a hyphen in it is no place to break). */
export function PathText({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          <span className="path-text__part">{index < parts.length - 1 ? `${part}/` : part}</span>
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

/** Plain text in which any path (a word with a "/") wraps only after its slashes. */
export function PathsInText({ text }: { text: string }) {
  if (!text.includes('/')) return <>{text}</>;
  return <>{text.split(' ').map((word, index) => <Fragment key={index}>{index > 0 && ' '}{word.includes('/') ? <PathText path={word} /> : word}</Fragment>)}</>;
}

/** Text from the helper in which `backticks` mark a command: shown as code, without the backticks. */
export function CodeText({ text }: { text: string }) {
  const parts = text.split('`');
  // An even count of parts: a lone backtick, not a command to set apart.
  if (parts.length % 2 === 0) return <PathsInText text={text} />;
  return <>{parts.map((part, index) => (index % 2 === 1 ? <code key={index}><PathsInText text={part} /></code> : <PathsInText key={index} text={part} />))}</>;
}

export function Fingerprint({ value, testId }: { value: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      timer.current = window.setTimeout(() => setCopied(false), 3000);
    } catch {
      // No clipboard here: the title still shows the whole value, and the text can be selected.
    }
  };
  return (
    <span className="fingerprint">
      <code className="fingerprint__value" title={value} data-testid={testId}>{value}</code>
      <button type="button" className="link-button fingerprint__copy" aria-label={`Copy fingerprint ${value}`} onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
