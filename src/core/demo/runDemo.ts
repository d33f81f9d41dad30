import type { DemoContext, DemoStep } from './steps';
import { DEMO_STEPS } from './steps';

/** Run the demo steps in order (all of them, or the named ones). A failing step stops the demo. */
export async function runDemo(
  ctx: DemoContext,
  only?: readonly string[],
  steps: readonly DemoStep[] = DEMO_STEPS,
): Promise<void> {
  for (const step of steps) {
    if (only && !only.includes(step.name)) continue;
    try {
      await step.run(ctx);
    } catch (e) {
      throw new Error(`demo step "${step.name}" failed: ${(e as Error).message}`, { cause: e });
    }
  }
}
