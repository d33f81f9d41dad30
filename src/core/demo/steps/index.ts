import { modelsDemoStep } from '../../inference/demo-step';
import { agreementStep } from './agreement';
import { phantomStudiesStep } from './phantoms';
import { realDataStep } from './realData';
import { summaryStep } from './summary';
import type { DemoStep } from './types';

export type { DemoContext, DemoStep } from './types';

/**
 * The demo, in order. To extend it (models, predictions, agreement table), add a step file here and
 * insert it before `summaryStep`.
 */
export const DEMO_STEPS: DemoStep[] = [
  phantomStudiesStep,
  realDataStep,
  modelsDemoStep,
  agreementStep,
  summaryStep,
];
