// Creating a reader profile (name and role); the new reader becomes the current one.
import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useAppState } from '../../app/AppContext';

const ROLES = ['reader', 'resident', 'expert', 'admin'] as const;

export function ReaderForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const app = useAppState();
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('reader');
  const [error, setError] = useState<string | null>(null);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const r = await api.readers.create({ name: name.trim(), role });
      app.setReaderId(r.id);
      app.toast('ok', `Reader ${r.name} created and selected`);
      setName('');
      setError(null);
      onCreated();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <form className="form-row" onSubmit={(e) => void create(e)}>
      <label>
        Name
        <input
          data-testid="reader-name"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Dr A. Reader"
        />
      </label>
      <label>
        Role
        <select
          data-testid="reader-role"
          value={role}
          onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="reader-create" disabled={!name.trim()}>
        Add reader
      </button>
      {error && (
        <span className="warn" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
