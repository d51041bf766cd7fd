import { useEffect, useState } from 'react';
import { Icon } from './Icon';

/**
 * Copies the document's address. In local mode anyone with it can open and edit the
 * document; in secured mode (`secured`) the address carries no access — this user's token is
 * theirs alone — so the tooltip says that others need their own share link.
 */
export function ShareButton({ secured = false }: { secured?: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const share = async () => {
    const ok = await copyText(window.location.href);
    setCopied(ok ? 'yes' : 'failed');
  };

  return (
    <button
      type="button"
      className="button primary share-button"
      data-testid="share"
      title={
        secured
          ? 'Copy this document’s address. It does not include your access: others need their own share link.'
          : 'Copy a link to this document'
      }
      onClick={() => void share()}
    >
      <Icon name={copied === 'yes' ? 'check' : 'link'} size={16} />
      {/* On a phone only the icon shows; the words stay for screen readers. */}
      <span className="phone-hidden-text" aria-live="polite">
        {copied === 'yes' ? 'Link copied' : copied === 'failed' ? 'Copy failed' : 'Share'}
      </span>
    </button>
  );
}

/** The async Clipboard API where allowed (secure contexts), else the legacy copy command. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only fallback on plain http
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
