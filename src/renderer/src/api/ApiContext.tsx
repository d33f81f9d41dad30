import { createContext, useContext } from 'react';
import type { KneeGradeApi } from '../../../shared/api';

export const ApiContext = createContext<KneeGradeApi | null>(null);

/** The API, for components under <ApiContext.Provider> (the App provides it once loaded). */
export function useApi(): KneeGradeApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>');
  return api;
}
