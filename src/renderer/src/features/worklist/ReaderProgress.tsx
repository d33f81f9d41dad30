// "n of N graded by me": the reader's progress over the whole database.
import { useApi } from '../../api/ApiContext';
import { useQuery } from '../../api/useQuery';

export function ReaderProgress({ readerId }: { readerId: number }) {
  const api = useApi();
  const q = useQuery(
    async () => {
      const [all, ungraded] = await Promise.all([
        api.knees.list({ limit: 1 }),
        api.knees.list({ ungradedByReaderId: readerId, limit: 1 }),
      ]);
      return { total: all.total, done: all.total - ungraded.total };
    },
    [readerId],
    ['knees', 'grades'],
  );
  if (!q.data) return null;
  const { done, total } = q.data;
  return (
    <span className="reader-progress" data-testid="reader-progress" data-done={done} data-total={total}>
      <meter min={0} max={Math.max(total, 1)} value={done} /> {done} of {total} graded by me
    </span>
  );
}
