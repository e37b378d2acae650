// The live progress line on stderr. On a terminal it redraws in place once a second; elsewhere
// (CI logs) it prints one line per finished round instead of one per second.
export class Progress {
  private readonly t0 = Date.now();
  private readonly tty = process.stderr.isTTY === true;
  private scenario = '';
  private target = '';
  private phase = '';

  start(scenario: string, target: string, phase: string): void {
    this.scenario = scenario;
    this.target = target;
    this.phase = phase;
    this.draw(0);
  }

  tick(rps: number): void {
    this.draw(rps);
  }

  roundDone(summary: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${this.prefix()}  ${summary}\n`);
  }

  note(text: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }

  private prefix(): string {
    const elapsed = ((Date.now() - this.t0) / 1000).toFixed(0).padStart(4);
    return `[${elapsed}s] ${this.scenario} ${this.target.padEnd(10)} ${this.phase}`;
  }

  private draw(rps: number): void {
    if (!this.tty) return;
    process.stderr.write(`\r\x1b[K${this.prefix()}  ${Math.round(rps).toLocaleString('en-US')} rps`);
  }
}
