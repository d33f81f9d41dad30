// Errors the reader must see: one line each, naming what failed and why, dismissable.
export function ErrorBanner({
  errors,
  onDismiss,
}: {
  errors: { id: number; text: string }[];
  onDismiss: (id: number) => void;
}) {
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {errors.map((e) => (
        <div key={e.id} className="error-line">
          <span>{e.text}</span>
          <button type="button" className="link" aria-label="Dismiss" onClick={() => onDismiss(e.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
