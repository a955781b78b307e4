import { useState } from 'react';

/**
 * A secret the server answers once (a generated password, a new API key): shown with the hint
 * that it cannot be shown again, and a copy button when the browser offers a clipboard.
 */
export function NewSecret({ label, secret, onDone }: { label: string; secret: string; onDone(): void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
  const copy = () => {
    if (!clipboard) return;
    clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <div className="new-secret" role="status" data-testid="new-secret">
      <p>
        <strong>{label}</strong> Copy it now: it is shown only once and cannot be shown again.
      </p>
      <code className="secret" aria-label={label}>
        {secret}
      </code>
      <div className="row">
        {clipboard && (
          <button type="button" onClick={copy}>
            Copy
          </button>
        )}
        <button type="button" onClick={onDone}>
          Done
        </button>
        {copied === 'yes' && <span className="muted">Copied.</span>}
        {copied === 'no' && <span className="down">Copying failed: select the text and copy it.</span>}
      </div>
    </div>
  );
}
