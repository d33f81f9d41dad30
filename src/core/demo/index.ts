export { runDemo } from './runDemo';
export { DEMO_STEPS, type DemoContext, type DemoStep } from './steps';
export {
  importPhantomStudies,
  PHANTOM_TRUTH_SOURCE,
  type PhantomStudiesOptions,
  type PhantomStudiesResult,
} from './phantomStudies';
