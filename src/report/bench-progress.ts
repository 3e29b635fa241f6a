/** What the bench reports while it runs. */
export interface BenchProgress {
  update(done: number, total: number, label: string): void
  stop(): void
}

const silent: BenchProgress = { update() {}, stop() {} }

/** A progress bar on stderr; silent under --json and when stderr is not a terminal. */
export async function startBenchProgress(json: boolean): Promise<BenchProgress> {
  if (json || process.stderr.isTTY !== true || (process.stderr.columns ?? 0) <= 0) return silent
  const { default: progress } = await import('cli-progress')
  const bar = new progress.SingleBar(
    { stream: process.stderr, format: 'bench [{bar}] {percentage}% | {value}/{total} requests | {label}', hideCursor: true, clearOnComplete: true, fps: 5 },
    progress.Presets.shades_classic,
  )
  let started = false
  return {
    update(done, total, label) {
      if (!started) {
        bar.start(total, 0, { label })
        started = true
      }
      bar.update(done, { label })
    },
    stop() {
      if (started) bar.stop()
    },
  }
}
