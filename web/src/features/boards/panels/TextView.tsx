/**
 * A text panel: the board author's words as plain text, their line breaks kept (CSS pre-wrap);
 * React writes them as text, so markup in them is shown, never run.
 */
export function TextView({ text }: { text: string }) {
  return (
    <div className="bp-text" data-testid="panel-text">
      {text}
    </div>
  );
}
