import { useState } from 'react';
import type { DocumentSession } from '@weft/client';
import { moveToTrash } from './trash-api';

/**
 * The editor's "Move to trash": the relay then closes every open editor of the document
 * (this one too) with 4404, and each shows the trash notice with a way back.
 */
export function MoveToTrashButton({
  session,
  docName,
}: {
  session: DocumentSession;
  docName: string;
}) {
  const [busy, setBusy] = useState(false);
  const trash = () => {
    setBusy(true);
    const { token } = session.getAccess();
    moveToTrash(docName, token === null ? [] : [token]).then(
      () => setBusy(false),
      (error: unknown) => {
        setBusy(false);
        window.alert(
          `Could not move it to the trash: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  };
  return (
    <button
      type="button"
      className="button ghost small"
      onClick={trash}
      disabled={busy}
      data-testid="move-to-trash"
    >
      Move to trash
    </button>
  );
}
