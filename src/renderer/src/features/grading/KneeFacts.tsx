// What is known about the knee besides the image: reference grades and other readers' grades (both
// hidden in blinded sessions: the core already leaves them out, this only shows what it sent).
import type { KneeDetail } from '../../../../shared/contract';

export function KneeFacts({ detail, readerId }: { detail: KneeDetail; readerId: number | null }) {
  const others = detail.grades.filter((g) => g.readerId !== readerId);
  const img = detail.image;
  return (
    <section className="panel knee-facts" aria-label="Knee">
      <h2>
        Knee {detail.id} · {detail.side === 'L' ? 'left' : 'right'}
      </h2>
      <dl className="facts">
        <dt>Patient</dt>
        <dd>{detail.patient}</dd>
        <dt>Study</dt>
        <dd>{detail.studyDate ?? '—'}</dd>
        <dt>Image</dt>
        <dd>
          {img.columns}×{img.rows} {img.sourceFormat.toUpperCase()}
          {img.modality ? ` ${img.modality}` : ''}
          {img.pixelSpacing ? ` · ${img.pixelSpacing.col.toFixed(3)} mm/px` : ''}
        </dd>
        <dt>Crop</dt>
        <dd>
          {detail.crop.source === 'edited'
            ? 'corrected by a reader'
            : detail.crop.source === 'auto'
              ? 'automatic'
              : 'whole image'}
        </dd>
        {!detail.blinded && detail.reference.length > 0 && (
          <>
            <dt>Reference</dt>
            <dd data-testid="knee-reference">
              {detail.reference.map((r) => `KL ${r.klg} (${r.source})`).join(', ')}
            </dd>
          </>
        )}
        {!detail.blinded && others.length > 0 && (
          <>
            <dt>Other readers</dt>
            <dd data-testid="knee-other-readers">
              {others.map((g) => `${g.readerName}: KL ${g.event.klg}`).join(', ')}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
