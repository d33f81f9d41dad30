export * from './card';
export {
  explainForContract,
  runEmbeddings,
  runInference,
  selectModels,
  type InferenceProgressEvent,
  type RunInferenceOptions,
  type RunInferenceResult,
} from './api';
export { explainKnee, toGrid, type OcclusionMap } from './explain';
export { InferenceHost, type HostOptions } from './host';
export { overlayPng } from './overlay';
export { CancelledError, InferenceError, type Provider, type ProviderRequest } from './protocol';
export {
  addModel,
  findModel,
  listModels,
  removeModel,
  verifyModelDir,
  ModelRefusedError,
  type InstalledModel,
  type ModelEntry,
  type ModelRoots,
} from './registry';
export { runModelOnKnees, type RunSummary } from './run-batch';
export { trainHead, type TrainHeadResult } from './head/train-head';
export { parseLabelSpec } from './head/labels';
