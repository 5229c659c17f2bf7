// The repository's files, as the checks read them from source.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, recursively; none when it does not exist. */
export function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

/** The directories directly under `dir`; none when it does not exist. */
export function subdirectories(dir) {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)) : [];
}
