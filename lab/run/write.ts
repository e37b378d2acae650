// result.json is written atomically: a reader (or a crash) never sees half a file.
import { writeFileSync, renameSync } from 'node:fs';

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
