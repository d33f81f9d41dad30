// Channels whose core module is still being written: they answer UNAVAILABLE with the reason rather
// than pretending. Each is replaced by its real handler as the module lands.
import { ApiError } from '../../shared/contract';

export function pending(channel: string, module: string): () => Promise<never> {
  return async () => {
    throw new ApiError('UNAVAILABLE', `${channel} is not available in this build: ${module} is not built yet`);
  };
}
