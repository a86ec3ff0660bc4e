import { CopyButton } from './copy-button.js';

/** A block of code to copy: a snippet, a signing example, a secret. */
export function CodeBlock({ code, label, copyLabel }: { code: string; label: string; copyLabel?: string }) {
  return (
    <div className="code-block">
      <pre aria-label={label} tabIndex={0}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={copyLabel ?? 'Copy'} />
    </div>
  );
}
