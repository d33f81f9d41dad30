// Execution-provider choice. onnxruntime-node's prebuilt binaries include CUDA support only on
// linux-x64 builds that ship the CUDA provider library next to the binding; asking for 'cuda'
// without it fails at session creation. So CUDA is only tried when that file exists, and any failure
// falls back to CPU with the reason recorded.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const CUDA_LIB: Record<string, string> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

/** The folder holding onnxruntime-node's native binding for this platform. */
export function ortBindingDir(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const pkg = path.dirname(req.resolve('onnxruntime-node/package.json'));
    return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** Whether the CUDA provider library is present next to the binding (necessary, not sufficient). */
export function cudaProviderPresent(): boolean {
  const lib = CUDA_LIB[process.platform];
  const dir = ortBindingDir();
  return !!lib && !!dir && existsSync(path.join(dir, lib));
}
