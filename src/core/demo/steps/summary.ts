import { listKnees, listStudies } from '../../db/repositories';
import type { DemoStep } from './types';

/** Last step: what the demo database now holds. */
export const summaryStep: DemoStep = {
  name: 'summary',
  description: 'list the studies and knees in the demo database',
  async run(ctx) {
    const studies = listStudies(ctx.db);
    const knees = listKnees(ctx.db);
    ctx.log(`Demo database ${ctx.dbPath}: ${studies.length} studies, ${knees.length} knees.`);
    // Phantom studies in full; real-data studies (one per OAI subject) only counted.
    const phantomStudies = studies.filter((s) =>
      knees.some((k) => k.study.id === s.id && k.referenceLabels.some((l) => l.source === 'phantom-truth')),
    );
    if (phantomStudies.length < studies.length)
      ctx.log(`  (${studies.length - phantomStudies.length} studies of real OAI knee crops not listed)`);
    for (const s of phantomStudies) {
      const ks = knees.filter((k) => k.study.id === s.id);
      const labels = ks
        .map((k) => `${k.side}=KL${k.referenceLabels.find((l) => l.source === 'phantom-truth')?.klg ?? '?'}`)
        .join(' ');
      ctx.log(`  study ${s.id} ${s.date ?? ''} ${s.pseudonym}: ${ks.length} knees, truth ${labels}`);
    }
    ctx.log(
      `Next: kneegrade --db ${ctx.dbPath} knees   |   kneegrade --db ${ctx.dbPath} render --knee ${knees[0]?.id ?? 1} --out knee.png`,
    );
    ctx.results.summary = { studies: studies.length, knees: knees.length };
  },
};
