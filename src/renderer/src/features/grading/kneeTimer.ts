// Time a reader spends on a knee: counted from when it is shown until it is graded, paused while the
// window is hidden (another application, a locked screen), so a coffee break is not reading time.

export class KneeTimer {
  private kneeId: number | null = null;
  private accumulated = 0;
  private runningSince: number | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Start timing a knee (restarts when it is a different knee than the one being timed). */
  start(kneeId: number): void {
    if (this.kneeId === kneeId) return;
    this.kneeId = kneeId;
    this.accumulated = 0;
    this.runningSince = this.now();
  }

  pause(): void {
    if (this.runningSince === null) return;
    this.accumulated += this.now() - this.runningSince;
    this.runningSince = null;
  }

  resume(): void {
    if (this.runningSince === null && this.kneeId !== null) this.runningSince = this.now();
  }

  /** Milliseconds spent on `kneeId` so far (0 if it is not the knee being timed). */
  elapsed(kneeId: number): number {
    if (this.kneeId !== kneeId) return 0;
    const running = this.runningSince === null ? 0 : this.now() - this.runningSince;
    return Math.round(this.accumulated + running);
  }

  /** After a grade, time starts again from zero for a re-grade of the same knee. */
  restart(): void {
    this.accumulated = 0;
    if (this.runningSince !== null) this.runningSince = this.now();
  }
}
