// The report as JSON. Undefined statistics are already null in the Report, so nothing is lost or
// silently turned into 0.
import type { Report } from '../types';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
