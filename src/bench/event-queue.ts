interface QueuedEvent {
  time: number
  seq: number
  run: () => Promise<void>
}

/** Pending simulation events, earliest first; events at the same time run in the order they were scheduled. */
export class EventQueue {
  private readonly heap: QueuedEvent[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  push(time: number, run: () => Promise<void>): void {
    this.heap.push({ time, seq: this.seq++, run })
    let i = this.heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(this.heap[i], this.heap[parent])) break
      ;[this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]]
      i = parent
    }
  }

  pop(): QueuedEvent | undefined {
    const top = this.heap[0]
    const last = this.heap.pop()
    if (this.heap.length > 0 && last) {
      this.heap[0] = last
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        const right = left + 1
        let first = i
        if (left < this.heap.length && this.before(this.heap[left], this.heap[first])) first = left
        if (right < this.heap.length && this.before(this.heap[right], this.heap[first])) first = right
        if (first === i) break
        ;[this.heap[i], this.heap[first]] = [this.heap[first], this.heap[i]]
        i = first
      }
    }
    return top
  }

  private before(a: QueuedEvent, b: QueuedEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq)
  }
}
